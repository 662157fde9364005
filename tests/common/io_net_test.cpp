// common/rs: BufReader, lines(), TcpListener/TcpStream, fs::read_to_string.
#include <gtest/gtest.h>

#include <deque>
#include <ranges>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "rs/fs.hpp"
#include "rs/io.hpp"
#include "rs/net.hpp"

using namespace std::chrono_literals;
using rs::io::BufReader;
using rs::net::TcpListener;
using rs::net::TcpStream;

namespace {

// A reader that hands out scripted chunks and counts read() calls.
struct ScriptedReader {
    std::deque<std::string> chunks;
    int reads = 0;
    rs::io::Result<std::size_t> read(std::span<char> buffer) {
        ++reads;
        if (chunks.empty()) return rs::Ok(std::size_t{0});
        std::string& front = chunks.front();
        const auto n = std::min(buffer.size(), front.size());
        std::copy_n(front.begin(), n, buffer.begin());
        front.erase(0, n);
        if (front.empty()) chunks.pop_front();
        return rs::Ok(n);
    }
};

// The first `count` lines BufReader::lines() gives for `text` (handed out as one chunk), how many
// read() calls they took, and whether lines() then ends.
struct LinesRead {
    std::vector<std::string> lines;
    int reads = 0;
    bool then_none = false;
};
LinesRead read_lines(std::string text, std::size_t count) {
    ScriptedReader reader;
    reader.chunks.push_back(std::move(text));
    BufReader buffered(reader);
    auto lines = buffered.lines();
    LinesRead read;
    for (std::size_t i = 0; i < count; ++i) read.lines.push_back(lines.next().unwrap().unwrap());
    read.reads = reader.reads;
    read.then_none = lines.next().is_none();
    return read;
}

// A connected pair over loopback: the server side of the listener and a client stream.
struct Connection {
    TcpStream server;
    TcpStream client;
};
Connection connect_pair() {
    auto listener = TcpListener::bind("127.0.0.1:0").unwrap();
    auto client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    auto server = listener.accept().unwrap();
    return {std::move(server), std::move(client)};
}

}  // namespace

TEST(Common_BufReader, ReadsEightKibAtATimeNotAByteAtATime) {
    ScriptedReader reader;
    reader.chunks.push_back(std::string(20000, 'a') + "\n");
    BufReader buffered(reader);
    std::string line;
    EXPECT_EQ(buffered.read_line(line).unwrap(), 20001U);
    // 20001 bytes through an 8192-byte buffer: three reads, not 20001.
    EXPECT_EQ(reader.reads, 3);
    EXPECT_EQ(BufReader<ScriptedReader>::default_capacity, 8192U);
}

TEST(Common_BufReader, OneReadServesSeveralLines) {
    const auto read = read_lines("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 3);
    EXPECT_EQ(read.lines, (std::vector<std::string>{"GET / HTTP/1.1", "Host: x", ""}));
    EXPECT_EQ(read.reads, 1);
    EXPECT_TRUE(read.then_none);
}

TEST(Common_BufReader, LinesStripNewlineAndCarriageReturnOnly) {
    const auto read = read_lines("a\nb\r\nc\r\r\n", 3);
    EXPECT_EQ(read.lines, (std::vector<std::string>{"a", "b", "c\r"}));
    EXPECT_TRUE(read.then_none);
}

TEST(Common_BufReader, InvalidUtf8IsAnInvalidDataError) {
    ScriptedReader reader;
    reader.chunks.push_back("GET /\xff HTTP/1.1\r\n");
    BufReader buffered(reader);
    auto line = buffered.lines().next().unwrap();
    ASSERT_TRUE(line.is_err());
    EXPECT_EQ(line.error().kind(), rs::io::ErrorKind::InvalidData);
    EXPECT_EQ(line.error().debug(),
              R"(Error { kind: InvalidData, message: "stream did not contain valid UTF-8" })");
}

TEST(Common_Utf8, AcceptsUtf8RejectsOverlongAndSurrogates) {
    EXPECT_TRUE(rs::io::is_valid_utf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
    EXPECT_FALSE(rs::io::is_valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(rs::io::is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
    EXPECT_FALSE(rs::io::is_valid_utf8("\xe2\x82"));          // truncated
    EXPECT_FALSE(rs::io::is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(Common_Tcp, LineSplitAcrossTwoWritesIsReadWhole) {
    auto [server, client] = connect_pair();
    std::jthread writer([&client] {
        client.write_all("GET /sl").unwrap();
        std::this_thread::sleep_for(50ms);  // two TCP segments, not one
        client.write_all("eep HTTP/1.1\r\n\r\n").unwrap();
    });
    BufReader buffered(server);
    EXPECT_EQ(buffered.lines().next().unwrap().unwrap(), "GET /sleep HTTP/1.1");
}

TEST(Common_Tcp, RequestLineLongerThanOneBuffer) {
    auto [server, client] = connect_pair();
    const std::string long_line = "GET /" + std::string(3 * 8192 + 17, 'x') + " HTTP/1.1";
    std::jthread writer([&] { client.write_all(long_line + "\r\n\r\n").unwrap(); });
    BufReader buffered(server);
    EXPECT_EQ(buffered.lines().next().unwrap().unwrap(), long_line);
}

TEST(Common_Tcp, EofBeforeAnyNewlineYieldsThePartialLineThenNone) {
    auto [server, client] = connect_pair();
    client.write_all("GET / HT").unwrap();
    client.shutdown(rs::net::Shutdown::Write).unwrap();
    BufReader buffered(server);
    auto lines = buffered.lines();
    EXPECT_EQ(lines.next().unwrap().unwrap(), "GET / HT");
    EXPECT_TRUE(lines.next().is_none());
}

TEST(Common_Tcp, PeerThatClosesAtOnceGivesNone) {
    auto [server, client] = connect_pair();
    { TcpStream gone = std::move(client); }
    BufReader buffered(server);
    EXPECT_TRUE(buffered.lines().next().is_none());
}

TEST(Common_Tcp, WriteAllToAClosedPeerIsBrokenPipeNotSigpipe) {
    auto [server, client] = connect_pair();
    { TcpStream gone = std::move(client); }
    const std::string big(1 << 20, 'x');
    // The first write may be accepted by the kernel; a later one must fail with EPIPE or ECONNRESET
    // (and the test process must survive: no SIGPIPE).
    rs::io::Result<rs::Unit> outcome = rs::Ok();
    for (int attempt = 0; attempt < 10 && outcome.is_ok(); ++attempt) outcome = server.write_all(big);
    ASSERT_TRUE(outcome.is_err());
    const auto kind = outcome.error().kind();
    EXPECT_TRUE(kind == rs::io::ErrorKind::BrokenPipe || kind == rs::io::ErrorKind::ConnectionReset)
        << outcome.error().debug();
}

TEST(Common_Tcp, ReadTimeoutIsWouldBlock) {
    auto [server, client] = connect_pair();
    server.set_read_timeout(std::chrono::milliseconds(50)).unwrap();
    char buffer[16];
    auto got = server.read(buffer);
    ASSERT_TRUE(got.is_err());
    EXPECT_EQ(got.error().kind(), rs::io::ErrorKind::WouldBlock);
}

TEST(Common_Tcp, IncomingYieldsOneStreamPerConnection) {
    auto listener = TcpListener::bind("127.0.0.1:0").unwrap();
    const auto address = listener.local_addr().unwrap();
    std::jthread clients([&] {
        for (int i = 0; i < 3; ++i) {
            auto stream = TcpStream::connect(address).unwrap();
            stream.write_all(std::to_string(i) + "\n").unwrap();
        }
    });
    int seen = 0;
    for (auto accepted : listener.incoming() | std::views::take(3)) {
        auto stream = std::move(accepted).unwrap();
        BufReader buffered(stream);
        EXPECT_EQ(buffered.lines().next().unwrap().unwrap(), std::to_string(seen));
        ++seen;
    }
    EXPECT_EQ(seen, 3);
}

TEST(Common_Tcp, BindToATakenPortIsAddrInUse) {
    auto first = TcpListener::bind("127.0.0.1:0").unwrap();
    auto second = TcpListener::bind(first.local_addr().unwrap());
    ASSERT_TRUE(second.is_err());
    EXPECT_EQ(second.error().kind(), rs::io::ErrorKind::AddrInUse);
}

TEST(Common_Tcp, BindToAMalformedAddressIsInvalidInput) {
    auto bound = TcpListener::bind("no-port-here");
    ASSERT_TRUE(bound.is_err());
    EXPECT_EQ(bound.error().kind(), rs::io::ErrorKind::InvalidInput);
}

TEST(Common_Fs, ReadToStringReadsAndReportsMissingFiles) {
    const auto path = testing::TempDir() + "/common_fs_read.txt";
    std::ofstream(path) << "hello";
    EXPECT_EQ(rs::fs::read_to_string(path).unwrap(), "hello");
    auto missing = rs::fs::read_to_string(path + ".missing");
    ASSERT_TRUE(missing.is_err());
    EXPECT_EQ(missing.error().debug(),
              R"(Os { code: 2, kind: NotFound, message: "No such file or directory" })");
}
