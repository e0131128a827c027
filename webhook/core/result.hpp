#pragma once
// The one shape of "a value, or what went wrong" across windowguard: every
// parser, loader and adapter returns a Result, so a caller reads success and
// failure the same way everywhere.
#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace windowguard {

// Where in a text something is: a file (or an option such as "--manifest")
// and a 1-based line and column, 0 for the text as a whole.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;

  // "file:line:column", or "file" for the text as a whole.
  std::string to_string() const {
    return line == 0 ? file : file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
  friend bool operator==(const Location&, const Location&) = default;
};

// What went wrong, worded for whoever must fix it, and where when it is in a
// text (no file: not in a text).
struct Problem {
  Problem() = default;
  explicit Problem(std::string message) : message(std::move(message)) {}
  Problem(Location where, std::string message) : where(std::move(where)), message(std::move(message)) {}

  Location where;
  std::string message;

  // "file:line:column: message", "file: message", or the bare message.
  std::string to_string() const { return where.file.empty() ? message : where.to_string() + ": " + message; }
  friend bool operator==(const Problem&, const Problem&) = default;
};

// Every problem found in one pass (a policy load reports them all at once).
using Problems = std::vector<Problem>;

// A value of T, or the E that says why there is none.  Like C++23's
// std::expected, which this toolchain's C++20 lacks.
template <typename T, typename E = Problem>
class [[nodiscard]] Result {
 public:
  // Implicit, so that `return value;` and `return problem;` read as
  // intended; by reference, so that a value is moved once, into place.
  // NOLINTBEGIN(google-explicit-constructor)
  Result(T&& value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(const T& value) : state_(std::in_place_index<0>, value) {}
  Result(E&& error) : state_(std::in_place_index<1>, std::move(error)) {}
  Result(const E& error) : state_(std::in_place_index<1>, error) {}
  // NOLINTEND(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, E> state_;
};

}  // namespace windowguard
