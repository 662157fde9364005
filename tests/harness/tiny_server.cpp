// A server for the harness's own tests, with the faults a learner's server may have:
//   crash      on its first request it prints a Worker line and a last word on stderr, then dies of
//              SIGSEGV (as a job that uses a dangling `[&]` capture does): status 139 in a shell;
//   crash-at-start  dies of SIGSEGV before it listens, with a last word on stderr;
//   unflushed  answers every request 200 and prints its `Worker N got a job; executing.` lines with
//              `std::cout` and no flush: in the pipe's buffer, lost when the server is killed.
// It listens on 127.0.0.1 (any free port) and announces it as the listings do.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

void write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t written = ::write(fd, text.data(), text.size());
        if (written <= 0) return;
        text.remove_prefix(static_cast<std::size_t>(written));
    }
}

int listen_on_a_free_port() {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0
        || ::listen(listener, 16) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::_exit(2);
    }
    write_all(STDOUT_FILENO,
              "Listening on http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "\n");
    return listener;
}

// Dies as the OS ends a program that touches a bad address, even under a sanitizer, whose own SIGSEGV
// handler would report and exit instead.
[[noreturn]] void die_of_sigsegv() {
    std::signal(SIGSEGV, SIG_DFL);
    std::raise(SIGSEGV);
    std::abort();  // not reached: the default action ends the process
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view mode = argc > 1 ? argv[1] : "";
    if (mode == "crash-at-start") {
        write_all(STDERR_FILENO, "the last word before listening\n");
        die_of_sigsegv();
    }
    if (mode != "crash" && mode != "unflushed") return 2;
    const int listener = listen_on_a_free_port();
    for (int job = 0;; ++job) {
        const int connection = ::accept(listener, nullptr, nullptr);
        if (connection < 0) continue;
        char request[4096];
        (void)::read(connection, request, sizeof request);
        if (mode == "crash") {
            write_all(STDOUT_FILENO, "Worker 0 got a job; executing.\n");
            write_all(STDERR_FILENO, "the job's last word before the crash\n");
            die_of_sigsegv();
        }
        std::cout << "Worker " << job % 4 << " got a job; executing.\n";  // no flush: the learner's fault
        write_all(connection, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        ::close(connection);
    }
}
