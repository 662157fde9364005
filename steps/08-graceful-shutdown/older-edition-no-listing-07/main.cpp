// The full code as earlier editions of the book wrote it (src/main.rs): listing 21-25's main, unchanged.
// The server takes two connections, then the pool is destroyed, which shuts it down.
#include <chrono>
#include <ranges>
#include <string>
#include <utility>

#include "rs/fs.hpp"
#include "rs/io.hpp"
#include "rs/net.hpp"
#include "rs/print.hpp"
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

    for (auto accepted : listener.incoming() | std::views::take(2)) {
        auto stream = std::move(accepted).unwrap();

        pool.execute([stream = std::move(stream)]() mutable {
            handle_connection(std::move(stream));
        });
    }

    rs::println("Shutting down.");
}

void handle_connection(TcpStream stream) {
    auto buf_reader = BufReader(stream);
    auto request_line = buf_reader.lines().next().unwrap().unwrap();

    auto [status_line, filename] = [&]() -> std::pair<std::string, std::string> {
        if (request_line == "GET / HTTP/1.1") return {"HTTP/1.1 200 OK", "hello.html"};
        if (request_line == "GET /sleep HTTP/1.1") {
            thread::sleep(workbook::slow_request_delay(std::chrono::seconds(5)));
            return {"HTTP/1.1 200 OK", "hello.html"};
        }
        return {"HTTP/1.1 404 NOT FOUND", "404.html"};
    }();

    auto contents = fs::read_to_string(filename).unwrap();
    auto length = contents.size();

    auto response = status_line + "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n" + contents;

    stream.write_all(response).unwrap();
}
