//! Streaming the lines of a file with an async generator and `tokio::fs`,
//! as Python code does with `aiofiles`:
//!
//! ```python
//! async def lines(path):
//!     async with aiofiles.open(path) as f:
//!         async for line in f:
//!             yield line.rstrip("\n")
//! ```
//!
//! Run it with `cargo run --example async_lines -- [PATH] [PATTERN]`: it
//! prints the lines of PATH (this file by default) that contain PATTERN,
//! numbered, then how many lines it read.

use std::path::PathBuf;

use pygen::{GeneratorState, generator, yield_};
use tokio::io::AsyncBufReadExt;

/// The lines of the file at `path`, without their line endings; returns how
/// many it read. An I/O error ends the generator with `Err`.
#[generator(yield = String)]
pub async fn lines(path: PathBuf) -> std::io::Result<usize> {
    let file = tokio::fs::File::open(&path).await?;
    let mut reader = tokio::io::BufReader::new(file).lines();
    let mut count = 0;
    while let Some(line) = reader.next_line().await? {
        count += 1;
        yield_!(line);
    }
    Ok(count)
}

/// The numbered lines of `path` that contain `pattern`, and the number of
/// lines read.
pub async fn grep(path: PathBuf, pattern: &str) -> std::io::Result<(Vec<String>, usize)> {
    let mut found = Vec::new();
    let mut numbered = 0;
    let mut reader = lines(path);
    loop {
        match reader.anext().await {
            Some(GeneratorState::Yielded(line)) => {
                numbered += 1;
                if line.contains(pattern) {
                    found.push(format!("{numbered:>4}: {line}"));
                }
            }
            Some(GeneratorState::Complete(read)) => return Ok((found, read?)),
            None => unreachable!("the generator reports its completion once"),
        }
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .map_or_else(|| PathBuf::from(file!()), PathBuf::from);
    let pattern = args.next().unwrap_or_else(|| "yield".to_string());
    let (found, read) = grep(path.clone(), &pattern).await?;
    for line in &found {
        println!("{line}");
    }
    println!(
        "{} of {read} lines of {} contain {pattern:?}",
        found.len(),
        path.display()
    );
    Ok(())
}
