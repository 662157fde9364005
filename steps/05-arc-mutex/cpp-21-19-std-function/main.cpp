// src/main.rs from the first unnumbered step after listing 21-12 on (unchanged up to listing 21-20):
// listing 21-12's server, with hello::ThreadPool brought into scope.
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
