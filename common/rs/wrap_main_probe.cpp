// Links only where the linker supports `-Wl,--wrap=main` (the build's check before it links the
// listings with rs/main.cpp's runtime); not part of the library.
extern "C" int __real_main(int argc, char** argv);
extern "C" int __wrap_main(int argc, char** argv) { return __real_main(argc, argv); }
int main() { return 0; }
