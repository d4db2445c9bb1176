//! The catalogue API the example serves in-process, with axum, on
//! `127.0.0.1`. Listings are paged by cursor: `?after=ID&limit=N` is the
//! page of up to N items whose ids follow ID.
//!
//! | route | what it does |
//! |---|---|
//! | `GET /items?after=&limit=` | a page of items and the `next` link |
//! | `GET /items/{id}` | an item's details, sent in pieces, slowly; item 7 answers 503 once, item 13 breaks off half sent once |
//! | `GET /flaky/items` | the listing; its second page answers 500 once |
//! | `GET /broken/items` | the listing; every page after the first answers 500 |
//! | `GET /malformed/items` | the listing; every page after the first is cut-off JSON |
//! | `GET /slow/items` | the listing; every page after the first takes [`Config::slow_page`] |
//! | `GET /looping/items` | the listing; the second page links back to the first |
//! | `GET /badlink/items` | the listing; the `next` link is not a URL |

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use pygen::{generator, yield_};
use reqwest::Url;
use serde::Deserialize;

use super::{Detail, Item, Page};

/// How many items the catalogue has.
pub const CATALOGUE_SIZE: u32 = 23;
/// The page size when a request names none.
pub const DEFAULT_LIMIT: u32 = 10;
/// The largest page size a request may ask for.
pub const MAX_LIMIT: u32 = 50;
/// The item whose details fail once with `503 Service Unavailable`.
pub const FLAKY_DETAIL: u32 = 7;
/// The item whose details break off once, half sent: the server drops
/// the connection.
pub const CUT_DETAIL: u32 = 13;
/// How many pieces a detail's body is sent in.
pub const DETAIL_PIECES: usize = 8;

/// The server's timings.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// How long `/slow/items` takes for every page after the first.
    pub slow_page: Duration,
    /// The pause before each piece of a detail's body (longer for some
    /// items, so that downloads finish out of order).
    pub piece_delay: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            slow_page: Duration::from_secs(3),
            piece_delay: Duration::from_millis(30),
        }
    }
}

/// What goes wrong with a listing, on every page after the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// `500` the first time such a page is asked for, then fine.
    FailOnce,
    /// `500` every time.
    Broken,
    /// `200` with a body cut off in the middle of the JSON.
    Malformed,
    /// Answers after [`Config::slow_page`].
    Slow,
    /// The `next` link leads back to the first page.
    Loop,
    /// The `next` link is not a URL.
    BadLink,
}

struct Shared {
    config: Config,
    items: Vec<Item>,
    requests: Mutex<Vec<String>>,
    failed_once: AtomicBool,
    detail_failed_once: AtomicBool,
    detail_cut_once: AtomicBool,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Shared {
    fn log(&self, uri: &Uri) {
        let request = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
        self.requests
            .lock()
            .expect("the request log is not poisoned")
            .push(request.to_string());
    }
}

/// Counts a detail request as in flight until it is dropped: when its
/// body has been sent, or the connection went away.
struct InFlight(Arc<Shared>);

impl InFlight {
    fn enter(shared: &Arc<Shared>) -> InFlight {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(Arc::clone(shared))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A running catalogue server on `127.0.0.1`, stopped when dropped.
pub struct Server {
    base: Url,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Binds a free port on `127.0.0.1` and serves the catalogue on the
    /// current tokio runtime.
    ///
    /// # Errors
    ///
    /// When no port can be bound.
    pub async fn start(config: Config) -> std::io::Result<Server> {
        let shared = Arc::new(Shared {
            config,
            items: (1..=CATALOGUE_SIZE).map(item).collect(),
            requests: Mutex::new(Vec::new()),
            failed_once: AtomicBool::new(false),
            detail_failed_once: AtomicBool::new(false),
            detail_cut_once: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        let listing = |fault| {
            move |State(shared): State<Arc<Shared>>, uri: Uri, Query(query): Query<ListQuery>| {
                self::listing(shared, uri, query, fault)
            }
        };
        let router = Router::new()
            .route("/items", get(listing(Fault::None)))
            .route("/items/{id}", get(detail))
            .route("/flaky/items", get(listing(Fault::FailOnce)))
            .route("/broken/items", get(listing(Fault::Broken)))
            .route("/malformed/items", get(listing(Fault::Malformed)))
            .route("/slow/items", get(listing(Fault::Slow)))
            .route("/looping/items", get(listing(Fault::Loop)))
            .route("/badlink/items", get(listing(Fault::BadLink)))
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                eprintln!("catalogue server stopped: {error}");
            }
        });
        let base = Url::parse(&format!("http://{address}/")).expect("a socket address is a URL");
        Ok(Server { base, shared, task })
    }

    /// The server's root URL, `http://127.0.0.1:PORT/`.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The URL of `path` (with its query) on this server.
    pub fn url(&self, path: &str) -> Url {
        self.base
            .join(path)
            .expect("a path joins onto the base URL")
    }

    /// The requests served since the last call, as path and query.
    pub fn take_requests(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .shared
                .requests
                .lock()
                .expect("the request log is not poisoned"),
        )
    }

    /// The most detail requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

const NOUNS: [&str; 8] = [
    "lamp", "kettle", "teapot", "clock", "notebook", "backpack", "umbrella", "mug",
];
const MATERIALS: [&str; 5] = ["brass", "cedar", "linen", "steel", "clay"];

fn item(id: u32) -> Item {
    let n = id as usize;
    Item {
        id,
        name: format!(
            "{} {}",
            MATERIALS[n % MATERIALS.len()],
            NOUNS[n % NOUNS.len()]
        ),
        price_cents: 500 + id * 137 % 4000,
        in_stock: id % 3 != 0,
    }
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    after: Option<u32>,
    limit: Option<u32>,
}

async fn listing(shared: Arc<Shared>, uri: Uri, query: ListQuery, fault: Fault) -> Response {
    shared.log(&uri);
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        let message = format!("limit must be between 1 and {MAX_LIMIT}, not {limit}");
        return (StatusCode::BAD_REQUEST, message).into_response();
    }
    if query.after.is_some() {
        match fault {
            Fault::FailOnce if !shared.failed_once.swap(true, Ordering::SeqCst) => {
                let message = "the catalogue database is restarting";
                return (StatusCode::INTERNAL_SERVER_ERROR, message).into_response();
            }
            Fault::Broken => {
                let message = "the catalogue database is unavailable";
                return (StatusCode::INTERNAL_SERVER_ERROR, message).into_response();
            }
            Fault::Malformed => {
                let cut_off = r#"{"items": [{"id": 6, "name": "linen"#;
                return ([(header::CONTENT_TYPE, "application/json")], cut_off).into_response();
            }
            Fault::Slow => tokio::time::sleep(shared.config.slow_page).await,
            _ => {}
        }
    }
    let after = query.after.unwrap_or(0);
    let rest: Vec<&Item> = shared.items.iter().filter(|i| i.id > after).collect();
    let items: Vec<Item> = rest
        .iter()
        .take(limit as usize)
        .map(|&i| i.clone())
        .collect();
    let next = match (fault, items.last()) {
        (_, Some(last)) if rest.len() > items.len() => Some(match fault {
            Fault::Loop if query.after.is_some() => format!("{}?limit={limit}", uri.path()),
            Fault::BadLink => "http://[".to_string(),
            _ => format!("{}?after={}&limit={limit}", uri.path(), last.id),
        }),
        _ => None,
    };
    Json(Page { items, next }).into_response()
}

async fn detail(State(shared): State<Arc<Shared>>, uri: Uri, Path(id): Path<u32>) -> Response {
    shared.log(&uri);
    let in_flight = InFlight::enter(&shared);
    let Some(item) = id.checked_sub(1).and_then(|i| shared.items.get(i as usize)) else {
        return (StatusCode::NOT_FOUND, format!("no item {id}")).into_response();
    };
    if id == FLAKY_DETAIL && !shared.detail_failed_once.swap(true, Ordering::SeqCst) {
        let message = "too many requests at once, try again";
        return (StatusCode::SERVICE_UNAVAILABLE, message).into_response();
    }
    let sentence = format!("The {} is made to last, and priced to match. ", item.name);
    let detail = Detail {
        id,
        name: item.name.clone(),
        price_cents: item.price_cents,
        in_stock: item.in_stock,
        description: sentence.repeat(20 + 7 * (id as usize % 5)),
    };
    let body = serde_json::to_vec(&detail).expect("a detail serializes");
    let delay = shared.config.piece_delay * (2 + id % 3) / 2;
    let cut = id == CUT_DETAIL && !shared.detail_cut_once.swap(true, Ordering::SeqCst);
    let cut_at = cut.then_some(DETAIL_PIECES / 2);
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from_stream(trickle(body, delay, cut_at, in_flight)))
        .expect("a valid response")
}

/// A body sent in [`DETAIL_PIECES`] pieces, `delay` before each: the
/// server side of a slow download, as an async generator too. With
/// `cut_at`, the piece of that index is an error instead, which makes
/// the server drop the connection.
#[generator(yield = Result<Vec<u8>, std::io::Error>)]
async fn trickle(body: Vec<u8>, delay: Duration, cut_at: Option<usize>, in_flight: InFlight) {
    let mut in_flight = Some(in_flight);
    let mut pieces = body
        .chunks(body.len().div_ceil(DETAIL_PIECES))
        .enumerate()
        .peekable();
    while let Some((index, piece)) = pieces.next() {
        tokio::time::sleep(delay).await;
        if cut_at == Some(index) {
            let error = std::io::Error::other("the detail's storage went away");
            yield_!(Err(error));
            return;
        }
        if pieces.peek().is_none() {
            // Out of flight before the last piece leaves: a client that
            // has the whole body is never counted.
            in_flight = None;
        }
        yield_!(Ok(piece.to_vec()));
    }
    drop(in_flight);
}
