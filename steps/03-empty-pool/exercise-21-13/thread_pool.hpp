// TODO(exercise): declare hello::ThreadPool here: a constructor taking a size, and execute(F) taking
// a closure. Book: "Creating a Finite Number of Threads"
// (https://doc.rust-lang.org/book/ch21-02-multithreaded.html).
