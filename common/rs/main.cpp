// Rust's runtime around `main` (std's lang_start), for the listings: a panic that leaves the listing's
// main has unwound it, so main's locals are destroyed (a ThreadPool's destructor runs, as its Drop
// does in Rust), and is caught here: exit status 101. Without this frame, C++ calls std::terminate at
// the throw and destroys nothing.
//
// Each listing's main.cpp stays as it reads beside the book: the listings are linked with
// `-Wl,--wrap=main` (common/meson.build, steps/standalone.meson.build), which makes the C runtime call
// __wrap_main, and __real_main is the listing's main. A linker without --wrap leaves this file out, and
// a panic leaving main then exits 101 from the terminate handler (panic.cpp) without unwinding.
#include "rs/panic.hpp"

extern "C" int __real_main(int argc, char** argv);

extern "C" int __wrap_main(int argc, char** argv) {
    try {
        return __real_main(argc, argv);
    } catch (const rs::Panic&) {
        rs::exit_after_main_panic();
    }
}
