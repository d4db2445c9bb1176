// Everything the expansion calls by a path gets at most `&Co` (a user
// crate can redirect any path, even `::pygen`); a yield needs `&mut Co`,
// which only the two inherent yield functions are lent. So a function
// handed `&Co` cannot make a yield future to smuggle elsewhere.
use pygen::__private::Co;
use pygen::NoThrow;

fn steal(co: &Co<u64, (), NoThrow>) -> impl core::future::Future {
    Co::yield_(co, 1)
}

fn main() {
    let _ = steal;
}
