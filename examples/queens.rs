//! CPython's `test_generators`: `conjoin()` and the conjoin-based Queens
//! solver (`../shared/python-ports/queens.py`), ported with its nested
//! generators and its row generators inline, as Python writes them.
//! `cargo run --example queens` prints what `python3 queens.py` prints.
use pygen::{BoxGen, Recursive, generate, generator, yield_, yield_from};
use std::{cell::Cell, cell::RefCell, rc::Rc};

/// Python's generators yield the one `values` list that every solution
/// overwrites; so do these.
type Values = Rc<RefCell<Vec<usize>>>;
/// A nested generator that calls itself (`def gen(i)`): a Rust closure
/// cannot name itself, `Recursive` hands it itself (and boxes what it makes).
type Nested<'a> = Recursive<'a, usize, BoxGen<'a, Values, ()>>;

#[generator(yield = Values)]
fn conjoin<G: Fn() -> I, I: Iterator<Item = usize>>(gs: Vec<G>) {
    let (gs, n, values) = (&gs, gs.len(), &Rc::new(RefCell::new(vec![0; gs.len()])));
    // `for values[i] in gs[i]()` is `for () in gs[i]().map(set(i))`.
    let set = |i| move |v| values.borrow_mut()[i] = v;
    let gen3_at = &Nested::new(generate!(|gen3_at, i| {
        assert!(i < n && (n - i) % 3 == 0);
        let (ip1, ip2, ip3) = (i + 1, i + 2, i + 3);
        for () in gs[i]().map(set(i)) {
            for () in gs[ip1]().map(set(ip1)) {
                for () in gs[ip2]().map(set(ip2)) {
                    if ip3 >= n {
                        yield_!(values.clone());
                    } else {
                        yield_from!(gen3_at.call(ip3));
                    }
                }
            }
        }
    }));
    let gen_at = Nested::new(generate!(|gen_at, i| {
        if i >= n {
            yield_!(values.clone());
        } else if (n - i) % 3 != 0 {
            for () in gs[i]().map(set(i)) {
                yield_from!(gen_at.call(i + 1));
            }
        } else {
            yield_from!(gen3_at.call(i));
        }
    }));
    yield_from!(gen_at.call(0));
}

struct Queens {
    n: usize,
    used: Cell<u64>,
    rowuses: Vec<Vec<u64>>,
}

impl Queens {
    fn new(n: usize) -> Self {
        let bit = |k: usize| 1u64 << k;
        let row = |i| (0..n).map(move |j| bit(j) | bit(2 * n + i - j - 1) | bit(3 * n + i + j - 1));
        let rowuses = (0..n).map(|i| row(i).collect()).collect();
        let used = Cell::new(0);
        Queens { n, used, rowuses }
    }

    fn solve(&self) -> impl Iterator<Item = Values> + '_ {
        self.used.set(0);
        // `def rowgen(rowuses=rowuses)`: a generator function, called with
        // each row's uses.
        let rowgen = generate!(move |i: usize| for j in 0..self.n {
            let uses = self.rowuses[i][j];
            if uses & self.used.get() == 0 {
                self.used.set(self.used.get() | uses);
                yield_!(j);
                self.used.set(self.used.get() & !uses);
            }
        });
        conjoin((0..self.n).map(|i| move || rowgen(i)).collect())
    }

    fn printsolution(&self, row2col: &[usize]) {
        assert_eq!(self.n, row2col.len());
        let sep = format!("+{}", "-+".repeat(self.n));
        println!("{sep}");
        for &col in row2col {
            let mut squares = vec![" "; self.n];
            squares[col] = "Q";
            println!("|{}|\n{sep}", squares.join("|"));
        }
    }
}

fn main() {
    for c in conjoin(vec![|| [0, 1].into_iter(); 3]) {
        println!("{:?}", c.borrow());
    }
    let gencopy = generate!(
        |iterator: Box<dyn Iterator<Item = Values>>| for x in iterator {
            yield_!(x.borrow().clone());
        }
    );
    let py = |b: bool| if b { "True" } else { "False" };
    for n in 0..10 {
        let all: Vec<_> = gencopy(Box::new(conjoin(vec![|| [0, 1].into_iter(); n]))).collect();
        let (first, last) = (all[0] == vec![0; n], all[all.len() - 1] == vec![1; n]);
        println!("{n} {} {} {}", all.len(), py(first), py(last));
    }
    let q = Queens::new(8);
    const LIMIT: usize = 2;
    let mut count = 0;
    for row2col in q.solve() {
        count += 1;
        if count <= LIMIT {
            println!("Solution {count}");
            q.printsolution(&row2col.borrow());
        }
    }
    println!("{count} solutions in all.");
}
