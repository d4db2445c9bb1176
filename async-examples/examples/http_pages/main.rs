//! Async generators over a real HTTP client and server: paging through a
//! JSON API, fetching many URLs concurrently with progress, retrying what
//! failed. The Python it corresponds to, with aiohttp:
//!
//! ```python
//! async def pages(session, url):
//!     while url:
//!         async with session.get(url) as resp:
//!             resp.raise_for_status()
//!             page = await resp.json()
//!         for item in page["items"]:
//!             yield item
//!         url = page["next"] and urljoin(url, page["next"])
//! ```
//!
//! The program starts a small catalogue API in-process on `127.0.0.1`
//! (`server.rs`, with axum: pages of JSON items with a `next` link, item
//! details streamed slowly, and listings that fail in the ways real servers
//! do), then, as a client (reqwest):
//!
//! - [`pages`] follows the `next` links and yields the items, consumed with
//!   `StreamExt` combinators (`try_collect`, `try_filter`, `take`, `chunks`);
//! - `asend(Some(n))` changes the page size from the next page on, and
//!   `aclose()` stops paging and reports how far it got;
//! - a 500, malformed JSON, a refused connection, a timeout: each reaches
//!   the consumer as an `Err` item, the last one, with the URL and the
//!   status; a page that fails once is retried, without duplicates or gaps;
//! - [`fetch_details`] downloads every item's details with
//!   `buffer_unordered(4)`, each download an async generator reporting its
//!   bytes, shown as a live progress bar per download (one line per event
//!   with `--plain` or when stdout is not a terminal); a download that
//!   fails with a 503 or breaks off half sent starts again.
//!
//! Run it with `cargo run --example http_pages` (add `-- --plain` for lines).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::ready;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt, stream};
use pygen::{AsyncGen, GeneratorState, Interrupt, generator, yield_, yield_catch};
use reqwest::{Client, StatusCode, Url};
use serde::{Deserialize, Serialize};

/// One item of a listing page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: u32,
    pub name: String,
    pub price_cents: u32,
    pub in_stock: bool,
}

/// What `GET /items/{id}` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detail {
    pub id: u32,
    pub name: String,
    pub price_cents: u32,
    pub in_stock: bool,
    pub description: String,
}

/// One page of a listing: its items, and the link to the next page
/// (relative to this page's URL), absent on the last page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub items: Vec<Item>,
    pub next: Option<String>,
}

pub mod server;

/// How often to try a request that failed in a way that may pass (a 5xx
/// status, a timeout, no connection), and how long to wait in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, at least 1.
    pub attempts: u32,
    /// The wait after the first failed attempt; it doubles after each.
    pub backoff: Duration,
}

impl Retry {
    /// One attempt only.
    pub const NONE: Retry = Retry {
        attempts: 1,
        backoff: Duration::ZERO,
    };

    /// The wait after failed attempt number `attempt` (from 1).
    pub fn delay(&self, attempt: u32) -> Duration {
        self.backoff * 2u32.saturating_pow(attempt.saturating_sub(1))
    }
}

/// A request that failed, for good: after the retries it was worth.
#[derive(Debug)]
pub struct FetchError {
    /// What was asked for.
    pub url: Url,
    /// How many attempts were made.
    pub attempts: u32,
    /// What went wrong with the last one.
    pub kind: FetchErrorKind,
}

/// What went wrong with a request.
#[derive(Debug)]
pub enum FetchErrorKind {
    /// The server answered with an error status.
    Status { status: StatusCode, body: String },
    /// The server answered with a success status, but the body is not what
    /// the API promises.
    Malformed { status: StatusCode, reason: String },
    /// A page's `next` link cannot be followed.
    BadLink { link: String, reason: String },
    /// No complete response within the client's timeout.
    Timeout,
    /// No connection to the server.
    Connect { reason: String },
    /// The connection failed before a response came (`status` is `None`)
    /// or while its body was being read.
    Transport {
        status: Option<StatusCode>,
        reason: String,
    },
}

impl FetchError {
    /// The status the server answered with, if it answered.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            FetchErrorKind::Status { status, .. } | FetchErrorKind::Malformed { status, .. } => {
                Some(*status)
            }
            FetchErrorKind::Transport { status, .. } => *status,
            _ => None,
        }
    }
}

impl FetchErrorKind {
    /// Whether another attempt may succeed: server errors, timeouts and
    /// failed connections may pass; a 4xx status or a malformed body will
    /// not.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchErrorKind::Status { status, .. } => status.is_server_error(),
            FetchErrorKind::Timeout
            | FetchErrorKind::Connect { .. }
            | FetchErrorKind::Transport { .. } => true,
            FetchErrorKind::Malformed { .. } | FetchErrorKind::BadLink { .. } => false,
        }
    }

    /// Sorts a reqwest error; `status` is the response's, once there is one.
    /// reqwest calls a body that cannot be parsed and a body that cannot be
    /// read both "decode" errors; only the first has a JSON error inside.
    fn from_reqwest(status: Option<StatusCode>, error: &reqwest::Error) -> FetchErrorKind {
        let json = causes(error).find_map(|cause| cause.downcast_ref::<serde_json::Error>());
        let reason = causes(error)
            .last()
            .map(ToString::to_string)
            .unwrap_or_default();
        match (status, json) {
            _ if error.is_timeout() => FetchErrorKind::Timeout,
            _ if error.is_connect() => FetchErrorKind::Connect { reason },
            (Some(status), Some(json)) => FetchErrorKind::Malformed {
                status,
                reason: json.to_string(),
            },
            _ => FetchErrorKind::Transport { status, reason },
        }
    }
}

/// An error and its sources, outermost first: the last one says what
/// happened ("Connection refused (os error 111)"), the first where ("error
/// sending request for url (…)").
fn causes<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error), |error| error.source())
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GET {}: ", self.url)?;
        match &self.kind {
            FetchErrorKind::Status { status, body } if body.is_empty() => write!(f, "{status}")?,
            FetchErrorKind::Status { status, body } => write!(f, "{status}: {body}")?,
            FetchErrorKind::Malformed { status, reason } => {
                write!(f, "{status}, but the body is not valid: {reason}")?;
            }
            FetchErrorKind::BadLink { link, reason } => {
                write!(f, "the next link {link:?} {reason}")?
            }
            FetchErrorKind::Timeout => write!(f, "no response: timed out")?,
            FetchErrorKind::Connect { reason } => {
                write!(f, "no response: cannot connect: {reason}")?
            }
            FetchErrorKind::Transport {
                status: None,
                reason,
            } => write!(f, "no response: the connection failed: {reason}")?,
            FetchErrorKind::Transport {
                status: Some(status),
                reason,
            } => write!(f, "{status}, but the body broke off: {reason}")?,
        }
        if self.attempts > 1 {
            write!(f, " (gave up after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for FetchError {}

/// The body of an error response, for the message, cut to a line.
async fn error_body(response: reqwest::Response) -> String {
    // The status is what matters; a body that cannot be read adds nothing.
    let body = response.text().await.unwrap_or_default();
    let line = body.lines().next().unwrap_or_default();
    line.chars().take(200).collect()
}

/// One attempt at one page: `session.get(url)`, `raise_for_status()`,
/// `await resp.json()`.
async fn get_page(client: &Client, url: &Url) -> Result<Page, FetchErrorKind> {
    let response = client
        .get(url.clone())
        .send()
        .await
        .map_err(|error| FetchErrorKind::from_reqwest(None, &error))?;
    let status = response.status();
    if !status.is_success() {
        let body = error_body(response).await;
        return Err(FetchErrorKind::Status { status, body });
    }
    response
        .json::<Page>()
        .await
        .map_err(|error| FetchErrorKind::from_reqwest(Some(status), &error))
}

/// A page, with up to `retry.attempts` attempts; counts the retries.
async fn get_page_retrying(
    client: &Client,
    url: &Url,
    retry: Retry,
    retries: &mut u32,
) -> Result<Page, FetchError> {
    let mut attempt = 1;
    loop {
        match get_page(client, url).await {
            Ok(page) => return Ok(page),
            Err(kind) if kind.is_transient() && attempt < retry.attempts => {
                tokio::time::sleep(retry.delay(attempt)).await;
                attempt += 1;
                *retries += 1;
            }
            Err(kind) => {
                return Err(FetchError {
                    url: url.clone(),
                    attempts: attempt,
                    kind,
                });
            }
        }
    }
}

/// `url` with its `limit` query parameter set to `limit`.
pub fn with_limit(url: &Url, limit: u32) -> Url {
    let mut url = url.clone();
    let others: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != "limit")
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(others)
        .append_pair("limit", &limit.to_string());
    url
}

/// How a listing ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum End {
    /// The last page had no `next` link.
    #[default]
    Finished,
    /// `aclose()` stopped it.
    Closed,
    /// A request failed; the error was the last item yielded.
    Failed,
}

/// What [`pages`] returns: how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    /// Pages fetched.
    pub pages: u32,
    /// Items yielded.
    pub items: u32,
    /// Requests that failed and were tried again.
    pub retries: u32,
    /// The id of the last item yielded.
    pub last_id: Option<u32>,
    /// The page not fetched yet: the next one after a close, the one that
    /// failed after an error; `None` when the listing was finished.
    pub next: Option<Url>,
    pub end: End,
}

impl fmt::Display for Listing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (end, items, pages) = (self.end, self.items, self.pages);
        write!(f, "{end:?}: {items} items from {pages} pages")?;
        if let Some(id) = self.last_id {
            write!(f, ", up to item {id}")?;
        }
        match self.retries {
            0 => {}
            1 => write!(f, ", 1 request retried")?,
            n => write!(f, ", {n} requests retried")?,
        }
        if let Some(next) = &self.next {
            write!(f, "; next page: {next}")?;
        }
        Ok(())
    }
}

/// The items of the listing at `url`, page by page, following the `next`
/// links; returns how far it got.
///
/// A failed request (after the retries `retry` allows) is yielded as the
/// last item, `Err`, so a consumer cannot miss it: `try_collect` returns
/// it, `collect` keeps it. A page is only yielded once it has been fetched
/// and parsed whole, so a page retried after a failure yields each of its
/// items once.
///
/// `asend(Some(n))` sets the page size from the next page on (the `limit`
/// of the `next` link); `anext()` sends `None`. `aclose()` stops paging and
/// returns `Some(listing)`, whose `next` is the page not fetched yet.
#[generator(yield = Result<Item, FetchError>, send = Option<u32>)]
pub async fn pages(client: Client, url: Url, retry: Retry) -> Listing {
    let mut listing = Listing::default();
    let mut limit = None;
    let mut fetched = HashSet::new();
    let mut next = Some(url);
    while let Some(mut page_url) = next.take() {
        if let Some(limit) = limit {
            page_url = with_limit(&page_url, limit);
        }
        let page = match get_page_retrying(&client, &page_url, retry, &mut listing.retries).await {
            Ok(page) => page,
            Err(error) => {
                listing.end = End::Failed;
                listing.next = Some(page_url);
                // Whatever comes back, even a close, the listing is over.
                let _ = yield_catch!(Err(error));
                return listing;
            }
        };
        listing.pages += 1;
        fetched.insert(page_url.clone());
        // The link is checked before the items are handed out, and its error
        // comes after them.
        let link = page.next.map(|link| match page_url.join(&link) {
            Ok(next) if fetched.contains(&next) => {
                Err((link, "leads back to a page already fetched"))
            }
            Ok(next) => Ok(next),
            Err(_) => Err((link, "is not a URL")),
        });
        let link_error = match link {
            None => None,
            Some(Ok(url)) => {
                next = Some(url);
                None
            }
            Some(Err((link, reason))) => Some(FetchError {
                url: page_url.clone(),
                attempts: 1,
                kind: FetchErrorKind::BadLink {
                    link,
                    reason: reason.to_string(),
                },
            }),
        };
        for item in page.items {
            listing.items += 1;
            listing.last_id = Some(item.id);
            match yield_catch!(Ok(item)) {
                Ok(None) => {}
                Ok(Some(new_limit)) => limit = Some(new_limit),
                Err(Interrupt::Close) => {
                    listing.end = End::Closed;
                    listing.next = next.map(|next| match limit {
                        Some(limit) => with_limit(&next, limit),
                        None => next,
                    });
                    return listing;
                }
                Err(Interrupt::Throw(never)) => match never {},
            }
        }
        if let Some(error) = link_error {
            listing.end = End::Failed;
            let _ = yield_catch!(Err(error));
            return listing;
        }
    }
    listing
}

/// Runs a listing to its end with `anext()`: the items, the error that
/// ended it if one did, and how far it got.
pub async fn drain<F>(
    mut listing: AsyncGen<F, Result<Item, FetchError>, Option<u32>>,
) -> (Vec<Item>, Option<FetchError>, Listing)
where
    F: pygen::Body<Output = Listing>,
{
    let mut items = Vec::new();
    let mut error = None;
    loop {
        match listing.anext().await {
            Some(GeneratorState::Yielded(Ok(item))) => items.push(item),
            Some(GeneratorState::Yielded(Err(failed))) => error = Some(failed),
            Some(GeneratorState::Complete(summary)) => return (items, error, summary),
            None => unreachable!("a generator reports its completion once"),
        }
    }
}

/// What a download reports while it runs.
#[derive(Debug)]
pub enum Download {
    /// The server answered with a success status and a body of `total`
    /// bytes, if it said.
    Receiving { total: Option<u64> },
    /// `bytes` of the body have arrived.
    Received { bytes: u64, total: Option<u64> },
    /// An attempt failed in a way that may pass; the next one starts after
    /// `delay`.
    Retrying { error: FetchError, delay: Duration },
}

/// Downloads an item's details from `url`, yielding its progress as the
/// body arrives, with up to `retry.attempts` attempts. The result is the
/// generator's return value: check it (see [`fetch_details`]).
#[generator(yield = Download)]
pub async fn download(client: Client, url: Url, retry: Retry) -> Result<Detail, FetchError> {
    let mut attempt = 1;
    loop {
        let failure = 'attempt: {
            let mut response = match client.get(url.clone()).send().await {
                Ok(response) => response,
                Err(error) => break 'attempt FetchErrorKind::from_reqwest(None, &error),
            };
            let status = response.status();
            if !status.is_success() {
                let body = error_body(response).await;
                break 'attempt FetchErrorKind::Status { status, body };
            }
            let total = response.content_length();
            yield_!(Download::Receiving { total });
            let mut body = Vec::new();
            loop {
                match response.chunk().await {
                    Ok(Some(chunk)) => {
                        body.extend_from_slice(&chunk);
                        let bytes = body.len() as u64;
                        yield_!(Download::Received { bytes, total });
                    }
                    Ok(None) => break,
                    Err(error) => {
                        break 'attempt FetchErrorKind::from_reqwest(Some(status), &error);
                    }
                }
            }
            match serde_json::from_slice::<Detail>(&body) {
                Ok(detail) => return Ok(detail),
                Err(error) => FetchErrorKind::Malformed {
                    status,
                    reason: error.to_string(),
                },
            }
        };
        let error = FetchError {
            url: url.clone(),
            attempts: attempt,
            kind: failure,
        };
        if !error.kind.is_transient() || attempt >= retry.attempts {
            return Err(error);
        }
        let delay = retry.delay(attempt);
        yield_!(Download::Retrying { error, delay });
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

/// What [`fetch_details`] reports about one item.
#[derive(Debug)]
pub enum DetailEvent<'a> {
    Started,
    Progress(&'a Download),
    Done(&'a Result<Detail, FetchError>),
}

/// Downloads the details of every item in `ids` from the server at `base`,
/// `concurrency` at a time (`buffer_unordered`), telling `on_event` about
/// each one's progress. The results come in the order the downloads
/// finish.
pub async fn fetch_details(
    client: &Client,
    base: &Url,
    ids: impl IntoIterator<Item = u32>,
    concurrency: usize,
    retry: Retry,
    on_event: &impl Fn(u32, DetailEvent<'_>),
) -> Vec<(u32, Result<Detail, FetchError>)> {
    stream::iter(ids)
        .map(|id| async move {
            on_event(id, DetailEvent::Started);
            let url = base.join(&format!("items/{id}")).expect("an item's URL");
            let mut fetch = download(client.clone(), url, retry);
            let result = loop {
                match fetch.anext().await {
                    Some(GeneratorState::Yielded(progress)) => {
                        on_event(id, DetailEvent::Progress(&progress));
                    }
                    Some(GeneratorState::Complete(result)) => break result,
                    None => unreachable!("a generator reports its completion once"),
                }
            };
            on_event(id, DetailEvent::Done(&result));
            (id, result)
        })
        .buffer_unordered(concurrency)
        .collect()
        .await
}

/// The client the example uses: plain HTTP on loopback, so no proxy from
/// the environment; `timeout` bounds each request, body included
/// (aiohttp's `ClientTimeout(total=…)`).
pub fn client(timeout: Duration) -> reqwest::Result<Client> {
    Client::builder().no_proxy().timeout(timeout).build()
}

/// A URL on which nothing listens: a port that was just free.
pub fn refused_url() -> std::io::Result<Url> {
    let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))?;
    let address = listener.local_addr()?;
    drop(listener);
    Ok(Url::parse(&format!("http://{address}/items?limit=5")).expect("a socket address is a URL"))
}

fn ids(items: &[Item]) -> String {
    let ids: Vec<String> = items.iter().map(|item| item.id.to_string()).collect();
    ids.join(" ")
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

const RETRY: Retry = Retry {
    attempts: 3,
    backoff: Duration::from_millis(50),
};
const CONCURRENCY: usize = 4;

async fn show_pages(server: &server::Server, client: &Client) -> Result<(), FetchError> {
    println!("pages(): every item, following the next links");
    let all: Vec<Item> = pages(client.clone(), server.url("items?limit=5"), RETRY)
        .try_collect()
        .await?;
    println!("  try_collect: {} items: {}", all.len(), ids(&all));
    println!("  requests: {}", server.take_requests().join(", "));

    let in_stock: Vec<Item> = pages(client.clone(), server.url("items?limit=5"), RETRY)
        .try_filter(|item| ready(item.in_stock))
        .take(5)
        .try_collect()
        .await?;
    println!("  in stock, first 5: {}", ids(&in_stock));
    println!(
        "  requests: {} (paging stops with the consumer)",
        server.take_requests().join(", ")
    );

    let mut batches = pages(client.clone(), server.url("items?limit=5"), RETRY).chunks(4);
    let mut count = 0;
    while let Some(batch) = batches.next().await {
        let batch: Vec<Item> = batch.into_iter().collect::<Result<_, _>>()?;
        count += 1;
        if count <= 2 {
            println!("  chunks(4) #{count}: {}", ids(&batch));
        }
    }
    println!("  chunks(4): {count} batches");
    server.take_requests();
    Ok(())
}

/// The next item of a listing, resumed with `send` (`anext()` for `None`);
/// an error item, or the listing's end, is an error here.
async fn next_item<F>(
    listing: &mut AsyncGen<F, Result<Item, FetchError>, Option<u32>>,
    send: Option<u32>,
) -> Result<Item, Box<dyn std::error::Error>>
where
    F: pygen::Body<Output = Listing>,
{
    let state = match send {
        None => listing.anext().await,
        Some(limit) => Some(listing.asend(Some(limit)).await?),
    };
    match state {
        Some(GeneratorState::Yielded(item)) => Ok(item?),
        Some(GeneratorState::Complete(listing)) => Err(format!("ended early: {listing}").into()),
        None => Err("the listing was already over".into()),
    }
}

async fn show_asend_and_aclose(
    server: &server::Server,
    client: &Client,
) -> Result<(), Box<dyn std::error::Error>> {
    println!();
    println!("asend(Some(10)) after 3 items of pages of 4");
    let mut listing = pages(client.clone(), server.url("items?limit=4"), RETRY);
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(next_item(&mut listing, None).await?);
    }
    got.push(next_item(&mut listing, Some(10)).await?);
    let (rest, error, summary) = drain(listing).await;
    got.extend(rest);
    if let Some(error) = error {
        return Err(error.into());
    }
    println!("  {} items: {}", got.len(), ids(&got));
    println!("  requests: {}", server.take_requests().join(", "));
    println!("  returned: {summary}");

    println!();
    println!("aclose() after 7 items");
    let mut listing = pages(client.clone(), server.url("items?limit=5"), RETRY);
    for _ in 0..7 {
        next_item(&mut listing, None).await?;
    }
    match listing.aclose().await? {
        Some(summary) => println!("  aclose() -> {summary}"),
        None => println!("  aclose() -> None: the listing was over"),
    }
    println!("  requests: {}", server.take_requests().join(", "));
    Ok(())
}

async fn show_faults(server: &server::Server, client: &Client) -> std::io::Result<()> {
    println!();
    println!("faults: each one the last item, Err");
    let impatient = client_or_exit(Duration::from_millis(300));
    let cases = [
        ("500", client, server.url("broken/items?limit=5"), RETRY),
        (
            "malformed JSON",
            client,
            server.url("malformed/items?limit=5"),
            RETRY,
        ),
        (
            "connection refused",
            client,
            refused_url()?,
            Retry {
                attempts: 2,
                ..RETRY
            },
        ),
        (
            "timeout",
            &impatient,
            server.url("slow/items?limit=5"),
            Retry {
                attempts: 2,
                ..RETRY
            },
        ),
        (
            "next link loops",
            client,
            server.url("looping/items?limit=5"),
            RETRY,
        ),
    ];
    for (label, client, url, retry) in cases {
        let results: Vec<Result<Item, FetchError>> =
            pages(client.clone(), url, retry).collect().await;
        let items = results.iter().filter(|result| result.is_ok()).count();
        println!("  {label}: {items} items, then");
        match results.last() {
            Some(Err(error)) => println!("    {error}"),
            _ => println!("    no error"),
        }
    }
    server.take_requests();

    println!();
    println!("a page that fails once, retried");
    let (items, error, summary) = drain(pages(
        client.clone(),
        server.url("flaky/items?limit=5"),
        RETRY,
    ))
    .await;
    let distinct: HashSet<u32> = items.iter().map(|item| item.id).collect();
    println!(
        "  {} items, {} distinct, error: {}",
        items.len(),
        distinct.len(),
        error.map_or_else(|| "none".to_string(), |error| error.to_string())
    );
    println!("  returned: {summary}");
    println!("  requests: {}", server.take_requests().join(", "));
    Ok(())
}

fn client_or_exit(timeout: Duration) -> Client {
    client(timeout).unwrap_or_else(|error| {
        eprintln!("cannot build an HTTP client: {error}");
        std::process::exit(1)
    })
}

/// One line per event.
fn plain_event(id: u32, event: DetailEvent<'_>, started: &RefCell<HashMap<u32, Instant>>) {
    match event {
        DetailEvent::Started => {
            started.borrow_mut().insert(id, Instant::now());
        }
        DetailEvent::Progress(Download::Retrying { error, delay }) => {
            println!("  item {id:>2}: {error}; again in {} ms", delay.as_millis());
        }
        DetailEvent::Progress(_) => {}
        DetailEvent::Done(Ok(detail)) => {
            let took = started
                .borrow()
                .get(&id)
                .map_or(Duration::ZERO, Instant::elapsed);
            println!(
                "  item {id:>2}: {} ({} bytes of description) in {} ms",
                detail.name,
                detail.description.len(),
                took.as_millis()
            );
        }
        DetailEvent::Done(Err(error)) => println!("  item {id:>2}: failed: {error}"),
    }
}

async fn show_details(server: &server::Server, client: &Client, plain: bool) {
    println!();
    println!("details of every item, {CONCURRENCY} at a time (buffer_unordered)");
    let ids = 1..=server::CATALOGUE_SIZE;
    let start = Instant::now();
    let results = if plain {
        let started = RefCell::new(HashMap::new());
        let on_event = |id, event: DetailEvent<'_>| plain_event(id, event, &started);
        fetch_details(client, server.base(), ids, CONCURRENCY, RETRY, &on_event).await
    } else {
        let bars = indicatif::MultiProgress::new();
        let overall = bars.add(indicatif::ProgressBar::new(u64::from(
            server::CATALOGUE_SIZE,
        )));
        overall.set_style(
            indicatif::ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} {msg}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        overall.set_prefix("details");
        let style = indicatif::ProgressStyle::with_template(
            "{prefix:>8} [{bar:30}] {bytes:>9}/{total_bytes:9} {msg}",
        )
        .expect("a valid template")
        .progress_chars("=> ");
        let item_bars = RefCell::new(HashMap::new());
        let on_event = |id, event: DetailEvent<'_>| match event {
            DetailEvent::Started => {
                let bar = bars.insert_before(&overall, indicatif::ProgressBar::new(0));
                bar.set_style(style.clone());
                bar.set_prefix(format!("item {id}"));
                bar.set_message("connecting");
                item_bars.borrow_mut().insert(id, bar);
            }
            DetailEvent::Progress(progress) => {
                let item_bars = item_bars.borrow();
                let Some(bar) = item_bars.get(&id) else {
                    return;
                };
                match progress {
                    Download::Receiving { total } => {
                        bar.set_length(total.unwrap_or(0));
                        bar.set_message("receiving");
                    }
                    Download::Received { bytes, .. } => bar.set_position(*bytes),
                    Download::Retrying { error, delay } => {
                        bars.println(format!(
                            "item {id}: {error}; again in {} ms",
                            delay.as_millis()
                        ))
                        .ok();
                        bar.set_position(0);
                        bar.set_message("retrying");
                    }
                }
            }
            DetailEvent::Done(result) => {
                if let Some(bar) = item_bars.borrow_mut().remove(&id) {
                    bar.finish_and_clear();
                    bars.remove(&bar);
                }
                if let Err(error) = result {
                    bars.println(format!("item {id}: failed: {error}")).ok();
                }
                overall.inc(1);
                overall.set_message(format!("item {id} done"));
            }
        };
        let results =
            fetch_details(client, server.base(), ids, CONCURRENCY, RETRY, &on_event).await;
        overall.finish_with_message("done");
        // The cursor is still at the end of the last bar's line.
        println!();
        results
    };
    let elapsed = start.elapsed();
    let finished: Vec<u32> = results.iter().map(|(id, _)| *id).collect();
    let bytes: usize = results
        .iter()
        .filter_map(|(_, result)| result.as_ref().ok())
        .map(|detail| detail.description.len())
        .sum();
    let failed = results.iter().filter(|(_, result)| result.is_err()).count();
    println!(
        "  {} details ({} of descriptions), {failed} failed, in {:.1} s",
        results.len() - failed,
        kib(bytes as u64),
        elapsed.as_secs_f64()
    );
    println!("  finished in the order {finished:?}");
    println!(
        "  the server saw at most {} detail requests at once",
        server.max_in_flight()
    );
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let plain = std::env::args().any(|arg| arg == "--plain") || !std::io::stdout().is_terminal();
    let start = Instant::now();
    let server = server::Server::start(server::Config::default()).await?;
    println!("catalogue API on {}", server.base());
    println!();
    let client = client(Duration::from_secs(5))?;
    show_pages(&server, &client).await?;
    show_asend_and_aclose(&server, &client).await?;
    show_faults(&server, &client).await?;
    show_details(&server, &client, plain).await;
    println!();
    println!("total wall time {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}
