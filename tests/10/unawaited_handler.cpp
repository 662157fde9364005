// The async book's first step (examples/09_02): handle_connection made async and called without
// being awaited. rustc warns "futures do nothing unless you `.await` or poll them"; Asio declares
// asio::awaitable [[nodiscard]], so g++ warns too, and the workbook's -Werror build refuses it.
#include <asio.hpp>

asio::awaitable<void> handle_connection(asio::ip::tcp::socket) { co_return; }

asio::awaitable<void> serve(asio::ip::tcp::acceptor listener) {
    while (true) {
        auto stream = co_await listener.async_accept(asio::use_awaitable);
        handle_connection(std::move(stream));
    }
}
