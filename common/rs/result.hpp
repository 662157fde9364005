// Rust's Option<T> and Result<T, E>, as far as the listings use them: hold a value or not, and
// `unwrap()` panics with Rust's own message when there is none. Everything the workbook's stand-ins
// return that Rust returns as a Result is one of these, so `.unwrap()` reads as it does in the book.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "rs/panic.hpp"

namespace rs {

// Rust's `()`: the value of a Result that carries nothing on success.
struct Unit {
    friend bool operator==(Unit, Unit) = default;
};

// How an error shows in an unwrap panic (Rust's `{:?}`): a type's debug() if it has one.
template <class E>
std::string debug_string(const E& error) {
    if constexpr (requires { { error.debug() } -> std::convertible_to<std::string>; }) {
        return error.debug();
    } else if constexpr (std::is_convertible_v<const E&, std::string>) {
        return "\"" + std::string(error) + "\"";
    } else {
        return "..";
    }
}

struct NoneType {
    explicit constexpr NoneType(int /*tag*/) {}
};
inline constexpr NoneType None{0};

template <class T>
class [[nodiscard]] Option {
public:
    Option(NoneType /*none*/) {}  // NOLINT(google-explicit-constructor): mirrors Rust's `None`
    Option(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor): `Some(v)`

    [[nodiscard]] bool is_some() const noexcept { return value_.has_value(); }
    [[nodiscard]] bool is_none() const noexcept { return !value_.has_value(); }
    explicit operator bool() const noexcept { return is_some(); }

    T unwrap(Location where = Location::current()) && {
        if (!value_) panic("called `Option::unwrap()` on a `None` value", where);
        return std::move(*value_);
    }
    T expect(const std::string& message, Location where = Location::current()) && {
        if (!value_) panic(message, where);
        return std::move(*value_);
    }

    T& operator*() & { return *value_; }
    const T& operator*() const& { return *value_; }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }

    // Rust's take(): moves the value out and leaves None behind.
    Option take() {
        Option taken = std::move(*this);
        value_.reset();
        return taken;
    }
    // Rust's as_ref(): Option<&T>. An Option cannot hold a reference, so it holds a pointer; use `->`.
    Option<const T*> as_ref() const {
        if (!value_) return None;
        return &*value_;
    }

private:
    std::optional<T> value_;
};

// Rust's std::mem::drop: takes ownership of a value and destroys it here and now.
template <class T>
void drop(T /*value*/) {}

template <class T>
struct OkValue {
    T value;
};
template <class E>
struct ErrValue {
    E error;
};

// Rust's `Ok(v)` and `Err(e)`: convertible to any Result whose T (or E) they fit.
template <class T>
OkValue<std::decay_t<T>> Ok(T&& value) {
    return {std::forward<T>(value)};
}
inline OkValue<Unit> Ok() { return {Unit{}}; }
template <class E>
ErrValue<std::decay_t<E>> Err(E&& error) {
    return {std::forward<E>(error)};
}

template <class T, class E>
class [[nodiscard]] Result {
public:
    template <class U>
    Result(OkValue<U> ok) : state_(std::in_place_index<0>, std::move(ok.value)) {}  // NOLINT
    template <class F>
    Result(ErrValue<F> err) : state_(std::in_place_index<1>, std::move(err.error)) {}  // NOLINT

    [[nodiscard]] bool is_ok() const noexcept { return state_.index() == 0; }
    [[nodiscard]] bool is_err() const noexcept { return state_.index() == 1; }
    // So that `while (auto job = receiver.recv())` reads as `while let Ok(job) = receiver.recv()`.
    explicit operator bool() const noexcept { return is_ok(); }

    T unwrap(Location where = Location::current()) && {
        if (is_err()) {
            panic("called `Result::unwrap()` on an `Err` value: " + debug_string(std::get<1>(state_)),
                  where);
        }
        return std::move(std::get<0>(state_));
    }
    T expect(const std::string& message, Location where = Location::current()) && {
        if (is_err()) panic(message + ": " + debug_string(std::get<1>(state_)), where);
        return std::move(std::get<0>(state_));
    }
    E unwrap_err(Location where = Location::current()) && {
        if (is_ok()) panic("called `Result::unwrap_err()` on an `Ok` value", where);
        return std::move(std::get<1>(state_));
    }

    // Unchecked access, for code that has tested is_ok() / is_err() first.
    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    E& error() & { return std::get<1>(state_); }
    const E& error() const& { return std::get<1>(state_); }
    T& operator*() & { return value(); }
    T* operator->() { return &value(); }

private:
    std::variant<T, E> state_;
};

}  // namespace rs
