// Example 09_04 with the blocking sleep of the Rust book's handler (C++ only; the async book warns
// against it): every connection gets a task of its own, but `thread::sleep` blocks the one thread
// that runs them all, so while one request sleeps no other task can run. It compiles, it runs, and it
// serves one request at a time.
#include <chrono>
#include <string>
#include <utility>

#include <asio.hpp>

#include "rs/fs.hpp"
#include "rs/net.hpp"
#include "rs/thread.hpp"
#include "workbook/async_listener.hpp"
#include "workbook/config.hpp"

namespace fs = rs::fs;
namespace thread = rs::thread;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using rs::net::TcpListener;

awaitable<void> handle_connection(tcp::socket stream);

awaitable<void> serve() {
    auto executor = co_await asio::this_coro::executor;
    auto listener = workbook::async_listener(executor, TcpListener::bind(workbook::listen_addr("127.0.0.1:7878")).unwrap());

    while (true) {
        auto stream = co_await listener.async_accept(use_awaitable);

        asio::co_spawn(executor, handle_connection(std::move(stream)), asio::detached);
    }
}

int main() {
    auto runtime = asio::io_context(1);  // the event loop, run by one thread: this one
    asio::co_spawn(runtime, serve(), [](std::exception_ptr error) {
        if (error) std::rethrow_exception(error);  // the accept loop failed: end the server, as unwrap would
    });
    runtime.run();
}

awaitable<void> handle_connection(tcp::socket stream) {
    auto buffer = std::string();
    auto read_error = asio::error_code();  // the end of the stream leaves an empty request line, as Rust's read
    co_await asio::async_read_until(stream, asio::dynamic_buffer(buffer), "\r\n",
                                    asio::redirect_error(use_awaitable, read_error));
    if (read_error && read_error != asio::error::eof) throw asio::system_error(read_error);
    auto request_line = buffer.substr(0, buffer.find("\r\n"));

    std::string status_line;
    std::string filename;
    if (request_line == "GET / HTTP/1.1") {
        status_line = "HTTP/1.1 200 OK";
        filename = "hello.html";
    } else if (request_line == "GET /sleep HTTP/1.1") {
        thread::sleep(workbook::slow_request_delay(std::chrono::seconds(5)));
        status_line = "HTTP/1.1 200 OK";
        filename = "hello.html";
    } else {
        status_line = "HTTP/1.1 404 NOT FOUND";
        filename = "404.html";
    }

    auto contents = fs::read_to_string(filename).unwrap();
    auto length = contents.size();

    auto response = status_line + "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n" + contents;

    co_await asio::async_write(stream, asio::buffer(response), use_awaitable);
}
