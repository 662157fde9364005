// Listing 21-20 (src/main.rs: 21-12's, plus the `use hello::ThreadPool;` the text adds): the server
// hands each connection to a ThreadPool of four workers.
#include <chrono>
#include <string>
#include <utility>

#include "rs/fs.hpp"
#include "rs/io.hpp"
#include "rs/net.hpp"
#include "rs/thread.hpp"
#include "thread_pool.hpp"
#include "workbook/config.hpp"

namespace fs = rs::fs;
namespace thread = rs::thread;
using hello::ThreadPool;
using rs::io::BufReader;
using rs::net::TcpListener;
using rs::net::TcpStream;

void handle_connection(TcpStream stream);

int main() {
    auto listener = TcpListener::bind(workbook::listen_addr("127.0.0.1:7878")).unwrap();
    auto pool = ThreadPool(4);

    for (auto accepted : listener.incoming()) {
        auto stream = std::move(accepted).unwrap();

        pool.execute([stream = std::move(stream)]() mutable {
            handle_connection(std::move(stream));
        });
    }
}

void handle_connection(TcpStream stream) {
    auto buf_reader = BufReader(stream);
    auto next_line = buf_reader.lines().next();
    if (next_line.is_none()) return;  // closed before sending a line: nothing to answer
    if ((*next_line).is_err()) {
        static_cast<void>(stream.write_all(std::string("HTTP/1.1 400 BAD REQUEST\r\nContent-Length: 0\r\n\r\n")));
        return;
    }
    auto request_line = std::move(*(*next_line));

    auto [status_line, filename] = [&]() -> std::pair<std::string, std::string> {
        if (request_line == "GET / HTTP/1.1") return {"HTTP/1.1 200 OK", "hello.html"};
        if (request_line == "GET /sleep HTTP/1.1") {
            thread::sleep(workbook::slow_request_delay(std::chrono::seconds(5)));
            return {"HTTP/1.1 200 OK", "hello.html"};
        }
        return {"HTTP/1.1 404 NOT FOUND", "404.html"};
    }();

    auto read = fs::read_to_string(filename);
    if (read.is_err()) {
        static_cast<void>(stream.write_all(std::string("HTTP/1.1 500 INTERNAL SERVER ERROR\r\nContent-Length: 0\r\n\r\n")));
        return;
    }
    auto contents = std::move(*read);
    auto length = contents.size();

    auto response = status_line + "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n" + contents;

    static_cast<void>(stream.write_all(response));  // the client may be gone: nothing left to do
}
