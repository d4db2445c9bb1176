//! The HTTP example against its real server on 127.0.0.1: paging, `asend`,
//! `aclose`, every fault with its error, retries, and concurrent downloads.
//! Each test starts its own server and is bounded in time.

#[path = "../examples/http_pages/main.rs"]
#[allow(dead_code)]
mod http_pages;

use std::collections::HashSet;
use std::future::{Future, ready};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use http_pages::server::{CATALOGUE_SIZE, CUT_DETAIL, Config, DETAIL_PIECES, FLAKY_DETAIL, Server};
use http_pages::{
    DetailEvent, Download, End, FetchError, FetchErrorKind, Item, Listing, Retry, client, download,
    drain, fetch_details, pages, refused_url, with_limit,
};
use pygen::{GeneratorState, ResumeErrorKind};
use reqwest::{Client, StatusCode};

/// Every test ends within this, or fails.
async fn within<F: Future>(test: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("the test finishes within 30 s")
}

/// Quick pieces; a slow page slower than any client timeout here.
const CONFIG: Config = Config {
    slow_page: Duration::from_secs(60),
    piece_delay: Duration::from_millis(10),
};

const QUICK_RETRY: Retry = Retry {
    attempts: 3,
    backoff: Duration::from_millis(10),
};

async fn start() -> (Server, Client) {
    start_with(CONFIG).await
}

async fn start_with(config: Config) -> (Server, Client) {
    let server = Server::start(config)
        .await
        .expect("a free port on 127.0.0.1");
    let client = client(Duration::from_secs(10)).expect("a client");
    (server, client)
}

fn ids(items: &[Item]) -> Vec<u32> {
    items.iter().map(|item| item.id).collect()
}

fn all_ids() -> Vec<u32> {
    (1..=CATALOGUE_SIZE).collect()
}

fn the_error(results: Vec<Result<Item, FetchError>>) -> (Vec<Item>, FetchError) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(item) => {
                assert!(errors.is_empty(), "an item after the error: {item:?}");
                items.push(item);
            }
            Err(error) => errors.push(error),
        }
    }
    assert_eq!(errors.len(), 1, "one error, the last item: {errors:?}");
    (items, errors.pop().unwrap())
}

#[tokio::test]
async fn a_multi_page_listing_yields_every_item_in_order() {
    within(async {
        let (server, client) = start().await;
        let results: Vec<_> = pages(client.clone(), server.url("items?limit=5"), Retry::NONE)
            .collect()
            .await;
        let items: Vec<Item> = results.into_iter().map(Result::unwrap).collect();
        assert_eq!(ids(&items), all_ids());
        assert_eq!(
            server.take_requests(),
            [
                "/items?limit=5",
                "/items?after=5&limit=5",
                "/items?after=10&limit=5",
                "/items?after=15&limit=5",
                "/items?after=20&limit=5",
            ]
        );

        let (items, error, listing) = drain(pages(
            client.clone(),
            server.url("items?limit=5"),
            Retry::NONE,
        ))
        .await;
        assert_eq!(ids(&items), all_ids());
        assert!(error.is_none());
        assert_eq!(
            listing,
            Listing {
                pages: 5,
                items: CATALOGUE_SIZE,
                retries: 0,
                last_id: Some(CATALOGUE_SIZE),
                next: None,
                end: End::Finished,
            }
        );
        server.take_requests();

        // The server's default page size, and one page holding everything.
        let items: Vec<Item> = pages(client.clone(), server.url("items"), Retry::NONE)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&items), all_ids());
        assert_eq!(server.take_requests().len(), 3);
        let one_page = format!("items?limit={CATALOGUE_SIZE}");
        let items: Vec<Item> = pages(client.clone(), server.url(&one_page), Retry::NONE)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&items), all_ids());
        assert_eq!(server.take_requests(), [format!("/{one_page}")]);
    })
    .await;
}

#[tokio::test]
async fn stream_combinators_fetch_only_the_pages_they_need() {
    within(async {
        let (server, client) = start().await;
        let url = server.url("items?limit=5");

        let first: Vec<_> = pages(client.clone(), url.clone(), Retry::NONE)
            .take(3)
            .collect()
            .await;
        assert_eq!(first.len(), 3);
        assert_eq!(server.take_requests(), ["/items?limit=5"]);

        let in_stock: Vec<Item> = pages(client.clone(), url.clone(), Retry::NONE)
            .try_filter(|item| ready(item.in_stock))
            .take(5)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&in_stock), [1, 2, 4, 5, 7]);
        assert!(in_stock.iter().all(|item| item.in_stock));
        assert_eq!(server.take_requests().len(), 2);

        let sizes: Vec<usize> = pages(client.clone(), url.clone(), Retry::NONE)
            .chunks(4)
            .map(|batch| batch.len())
            .collect()
            .await;
        assert_eq!(sizes, [4, 4, 4, 4, 4, 3]);
    })
    .await;
}

#[tokio::test]
async fn asend_changes_the_page_size_from_the_next_page_on() {
    within(async {
        let (server, client) = start().await;
        let mut listing = pages(client.clone(), server.url("items?limit=4"), Retry::NONE);
        // Python: TypeError, the value comes back and nothing is fetched.
        let refused = listing.asend(Some(10)).await.unwrap_err();
        assert_eq!(refused.kind(), ResumeErrorKind::NotStarted);
        assert_eq!(refused.into_inner(), Some(10));
        assert!(server.take_requests().is_empty());

        let mut items = Vec::new();
        for _ in 0..3 {
            let state = listing.anext().await.unwrap();
            items.push(state.yielded().unwrap().unwrap());
        }
        // The rest of the current page comes first.
        let state = listing.asend(Some(10)).await.unwrap();
        items.push(state.yielded().unwrap().unwrap());
        let (rest, error, summary) = drain(listing).await;
        assert!(error.is_none(), "{error:?}");
        items.extend(rest);
        assert_eq!(ids(&items), all_ids(), "no item skipped or repeated");
        assert_eq!(
            server.take_requests(),
            [
                "/items?limit=4",
                "/items?after=4&limit=10",
                "/items?after=14&limit=10",
            ]
        );
        assert_eq!((summary.pages, summary.items), (3, CATALOGUE_SIZE));
        assert_eq!(summary.end, End::Finished);
    })
    .await;
}

#[tokio::test]
async fn a_page_size_the_server_refuses_is_an_error_item() {
    within(async {
        let (server, client) = start().await;
        let mut listing = pages(client.clone(), server.url("items?limit=2"), QUICK_RETRY);
        let first = listing.anext().await.unwrap().yielded().unwrap().unwrap();
        let second = listing
            .asend(Some(0))
            .await
            .unwrap()
            .yielded()
            .unwrap()
            .unwrap();
        assert_eq!((first.id, second.id), (1, 2));
        let error = listing
            .anext()
            .await
            .unwrap()
            .yielded()
            .unwrap()
            .unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
        assert_eq!(error.attempts, 1, "a 4xx is not retried");
        let message = error.to_string();
        assert!(message.contains("/items?after=2&limit=0"), "{message}");
        assert!(message.contains("400 Bad Request"), "{message}");
        assert!(
            message.contains("limit must be between 1 and 50, not 0"),
            "{message}"
        );
        let Some(GeneratorState::Complete(summary)) = listing.anext().await else {
            panic!("the listing ends after its error");
        };
        assert_eq!(summary.end, End::Failed);
        assert_eq!(summary.next, Some(server.url("items?after=2&limit=0")));
        assert!(listing.anext().await.is_none());
        assert_eq!(server.take_requests().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn aclose_mid_listing_stops_paging_and_reports_how_far_it_got() {
    within(async {
        let (server, client) = start().await;
        let mut listing = pages(client.clone(), server.url("items?limit=5"), Retry::NONE);
        for expected in 1..=7 {
            let item = listing.anext().await.unwrap().yielded().unwrap().unwrap();
            assert_eq!(item.id, expected);
        }
        let summary = listing.aclose().await.unwrap().expect("a listing's report");
        assert_eq!(
            summary,
            Listing {
                pages: 2,
                items: 7,
                retries: 0,
                last_id: Some(7),
                next: Some(server.url("items?after=10&limit=5")),
                end: End::Closed,
            }
        );
        assert!(listing.anext().await.is_none());
        assert_eq!(
            server.take_requests(),
            ["/items?limit=5", "/items?after=5&limit=5"]
        );

        // Closed with a new page size pending: the next page has it.
        let mut listing = pages(client.clone(), server.url("items?limit=5"), Retry::NONE);
        listing.anext().await.unwrap();
        listing.asend(Some(8)).await.unwrap();
        let summary = listing.aclose().await.unwrap().unwrap();
        assert_eq!(summary.next, Some(server.url("items?after=5&limit=8")));

        // Closed on the last page: nothing left to fetch.
        let mut listing = pages(client.clone(), server.url("items?limit=50"), Retry::NONE);
        listing.anext().await.unwrap();
        let summary = listing.aclose().await.unwrap().unwrap();
        assert_eq!((summary.items, summary.next), (1, None));
        server.take_requests();

        // Closed before it started: no request at all.
        let mut listing = pages(client.clone(), server.url("items?limit=5"), Retry::NONE);
        assert!(listing.aclose().await.unwrap().is_none());
        assert!(server.take_requests().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_server_error_is_the_last_item_with_the_url_and_status() {
    within(async {
        let (server, client) = start().await;
        let url = server.url("broken/items?limit=5");
        let results = pages(client.clone(), url.clone(), QUICK_RETRY)
            .collect()
            .await;
        let (items, error) = the_error(results);
        assert_eq!(ids(&items), [1, 2, 3, 4, 5]);
        assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(matches!(error.kind, FetchErrorKind::Status { .. }));
        assert_eq!(error.attempts, 3);
        assert_eq!(error.url, server.url("broken/items?after=5&limit=5"));
        let message = error.to_string();
        for part in [
            error.url.as_str(),
            "500 Internal Server Error",
            "the catalogue database is unavailable",
            "gave up after 3 attempts",
        ] {
            assert!(message.contains(part), "{message:?} lacks {part:?}");
        }
        let second_page = "/broken/items?after=5&limit=5";
        let requests = server.take_requests();
        assert_eq!(requests.iter().filter(|r| *r == second_page).count(), 3);
        assert_eq!(requests.len(), 4);

        // `try_collect` returns it; the return value says where it stopped.
        let error = pages(client.clone(), url.clone(), QUICK_RETRY)
            .try_collect::<Vec<Item>>()
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        let (items, error, listing) = drain(pages(client.clone(), url, QUICK_RETRY)).await;
        assert_eq!(items.len(), 5);
        assert!(error.is_some());
        assert_eq!(listing.end, End::Failed);
        assert_eq!(listing.retries, 2);
        assert_eq!(
            listing.next,
            Some(server.url("broken/items?after=5&limit=5"))
        );
    })
    .await;
}

#[tokio::test]
async fn malformed_json_is_the_last_item_and_is_not_retried() {
    within(async {
        let (server, client) = start().await;
        let results = pages(client, server.url("malformed/items?limit=5"), QUICK_RETRY)
            .collect()
            .await;
        let (items, error) = the_error(results);
        assert_eq!(ids(&items), [1, 2, 3, 4, 5]);
        assert!(matches!(error.kind, FetchErrorKind::Malformed { .. }));
        assert_eq!(error.status(), Some(StatusCode::OK));
        assert_eq!(error.attempts, 1);
        let message = error.to_string();
        assert!(
            message.contains("/malformed/items?after=5&limit=5"),
            "{message}"
        );
        assert!(message.contains("200 OK"), "{message}");
        assert!(message.contains("EOF while parsing"), "{message}");
        assert_eq!(server.take_requests().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_refused_connection_is_the_only_item() {
    within(async {
        let client = client(Duration::from_secs(10)).unwrap();
        let url = refused_url().unwrap();
        let retry = Retry {
            attempts: 2,
            backoff: Duration::from_millis(10),
        };
        let results = pages(client, url.clone(), retry).collect().await;
        let (items, error) = the_error(results);
        assert!(items.is_empty());
        assert!(matches!(error.kind, FetchErrorKind::Connect { .. }));
        assert_eq!((error.status(), error.attempts), (None, 2));
        let message = error.to_string();
        assert!(message.contains(url.as_str()), "{message}");
        assert!(message.contains("no response"), "{message}");
        assert!(message.to_lowercase().contains("refused"), "{message}");
    })
    .await;
}

#[tokio::test]
async fn a_server_that_hangs_up_without_answering_is_the_only_item() {
    within(async {
        // Accepts every connection and closes it at once.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = reqwest::Url::parse(&format!("http://{}/items", listener.local_addr().unwrap()))
            .unwrap();
        let hang_up = tokio::spawn(async move {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                drop(socket);
            }
        });
        let client = client(Duration::from_secs(10)).unwrap();
        let results = pages(client, url.clone(), QUICK_RETRY).collect().await;
        hang_up.abort();
        let (items, error) = the_error(results);
        assert!(items.is_empty());
        assert!(matches!(
            error.kind,
            FetchErrorKind::Transport { status: None, .. }
        ));
        assert_eq!(error.attempts, 3);
        let message = error.to_string();
        assert!(message.contains(url.as_str()), "{message}");
        assert!(
            message.contains("no response: the connection failed"),
            "{message}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_timeout_is_the_last_item() {
    within(async {
        let (server, _) = start().await;
        let impatient = client(Duration::from_millis(200)).unwrap();
        let retry = Retry {
            attempts: 2,
            backoff: Duration::from_millis(10),
        };
        let start = Instant::now();
        let results = pages(impatient, server.url("slow/items?limit=5"), retry)
            .collect()
            .await;
        // Two attempts of 200 ms, far from the page's 60 s.
        assert!(start.elapsed() < Duration::from_secs(10));
        let (items, error) = the_error(results);
        assert_eq!(ids(&items), [1, 2, 3, 4, 5]);
        assert!(matches!(error.kind, FetchErrorKind::Timeout));
        assert_eq!(error.attempts, 2);
        let message = error.to_string();
        assert!(message.contains("/slow/items?after=5&limit=5"), "{message}");
        assert!(message.contains("no response: timed out"), "{message}");
    })
    .await;
}

#[tokio::test]
async fn a_page_that_fails_once_is_retried_without_duplicates_or_gaps() {
    within(async {
        let (server, client) = start().await;
        let (items, error, listing) = drain(pages(
            client.clone(),
            server.url("flaky/items?limit=5"),
            QUICK_RETRY,
        ))
        .await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(ids(&items), all_ids());
        assert_eq!((listing.pages, listing.retries), (5, 1));
        let requests = server.take_requests();
        let second_page = "/flaky/items?after=5&limit=5";
        assert_eq!(requests.iter().filter(|r| *r == second_page).count(), 2);
        assert_eq!(requests.len(), 6);

        // Without retries the same failure is the last item.
        let (server, client) = start().await;
        let results = pages(client, server.url("flaky/items?limit=5"), Retry::NONE)
            .collect()
            .await;
        let (items, error) = the_error(results);
        assert_eq!(ids(&items), [1, 2, 3, 4, 5]);
        assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(error.attempts, 1);
        let message = error.to_string();
        assert!(
            message.contains("the catalogue database is restarting"),
            "{message}"
        );
        assert!(!message.contains("gave up"), "{message}");
    })
    .await;
}

#[tokio::test]
async fn next_links_that_loop_or_are_not_urls_end_the_listing() {
    within(async {
        let (server, client) = start().await;
        let results = pages(
            client.clone(),
            server.url("looping/items?limit=5"),
            Retry::NONE,
        )
        .collect()
        .await;
        let (items, error) = the_error(results);
        assert_eq!(ids(&items), (1..=10).collect::<Vec<_>>());
        assert!(matches!(error.kind, FetchErrorKind::BadLink { .. }));
        let message = error.to_string();
        assert!(
            message.contains("/looping/items?after=5&limit=5"),
            "{message}"
        );
        assert!(
            message.contains("leads back to a page already fetched"),
            "{message}"
        );
        assert_eq!(server.take_requests().len(), 2);

        let results = pages(client, server.url("badlink/items?limit=5"), Retry::NONE)
            .collect()
            .await;
        let (items, error) = the_error(results);
        assert_eq!(ids(&items), [1, 2, 3, 4, 5]);
        assert!(error.to_string().contains("is not a URL"), "{error}");
        assert_eq!(server.take_requests().len(), 1);
    })
    .await;
}

/// Runs a download to its end: its progress reports and its result.
async fn run_download(
    client: &Client,
    url: reqwest::Url,
    retry: Retry,
) -> (Vec<Download>, Result<http_pages::Detail, FetchError>) {
    let mut fetch = download(client.clone(), url, retry);
    let mut events = Vec::new();
    loop {
        match fetch.anext().await {
            Some(GeneratorState::Yielded(event)) => events.push(event),
            Some(GeneratorState::Complete(result)) => return (events, result),
            None => unreachable!(),
        }
    }
}

#[tokio::test]
async fn a_download_reports_its_bytes_and_returns_the_detail() {
    within(async {
        let (server, client) = start().await;
        let (events, result) = run_download(&client, server.url("items/3"), Retry::NONE).await;
        let detail = result.unwrap();
        assert_eq!((detail.id, detail.in_stock), (3, false));
        let Some(Download::Receiving { total: Some(total) }) = events.first() else {
            panic!("the body's length comes first: {events:?}");
        };
        let received: Vec<u64> = events[1..]
            .iter()
            .map(|event| match event {
                Download::Received { bytes, total: t } => {
                    assert_eq!(t, &Some(*total));
                    *bytes
                }
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(received.len(), DETAIL_PIECES);
        assert!(received.windows(2).all(|w| w[0] < w[1]), "{received:?}");
        assert_eq!(received.last(), Some(total));
    })
    .await;
}

#[tokio::test]
async fn download_errors_are_its_return_value() {
    within(async {
        let (server, client) = start().await;

        // Not found: not retried.
        let (events, result) = run_download(&client, server.url("items/99"), QUICK_RETRY).await;
        let error = result.unwrap_err();
        assert!(events.is_empty(), "{events:?}");
        assert_eq!(
            (error.status(), error.attempts),
            (Some(StatusCode::NOT_FOUND), 1)
        );
        let message = error.to_string();
        assert!(
            message.contains("/items/99: 404 Not Found: no item 99"),
            "{message}"
        );

        // Unavailable once: retried, and reported.
        let url = server.url(&format!("items/{FLAKY_DETAIL}"));
        let (events, result) = run_download(&client, url, QUICK_RETRY).await;
        assert_eq!(result.unwrap().id, FLAKY_DETAIL);
        let Some(Download::Retrying { error, delay }) = events.first() else {
            panic!("a retry first: {events:?}");
        };
        assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(*delay, QUICK_RETRY.backoff);

        // No server: every attempt reported, then the error returned.
        let (events, result) = run_download(&client, refused_url().unwrap(), QUICK_RETRY).await;
        let error = result.unwrap_err();
        assert!(matches!(error.kind, FetchErrorKind::Connect { .. }));
        assert_eq!(error.attempts, 3);
        let delays: Vec<Duration> = events
            .iter()
            .map(|event| match event {
                Download::Retrying { delay, .. } => *delay,
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            delays,
            [Duration::from_millis(10), Duration::from_millis(20)]
        );

        // A body that is not a detail.
        let url = server.url("malformed/items?after=1");
        let (_, result) = run_download(&client, url, QUICK_RETRY).await;
        let error = result.unwrap_err();
        assert!(matches!(error.kind, FetchErrorKind::Malformed { .. }));
        assert_eq!((error.status(), error.attempts), (Some(StatusCode::OK), 1));
    })
    .await;
}

#[tokio::test]
async fn a_download_cut_off_mid_body_starts_again() {
    within(async {
        let (server, client) = start().await;
        let url = server.url(&format!("items/{CUT_DETAIL}"));
        let (events, result) = run_download(&client, url.clone(), QUICK_RETRY).await;
        assert_eq!(result.unwrap().id, CUT_DETAIL);
        let retry = events
            .iter()
            .position(|event| matches!(event, Download::Retrying { .. }))
            .expect("a retry");
        let Download::Retrying { error, .. } = &events[retry] else {
            unreachable!()
        };
        assert!(matches!(error.kind, FetchErrorKind::Transport { .. }));
        assert_eq!(error.status(), Some(StatusCode::OK));
        let message = error.to_string();
        assert!(message.contains(url.as_str()), "{message}");
        assert!(
            message.contains("200 OK, but the body broke off"),
            "{message}"
        );
        // Half the body, then all of it from the start.
        let received = |events: &[Download]| {
            events
                .iter()
                .filter(|event| matches!(event, Download::Received { .. }))
                .count()
        };
        assert_eq!(received(&events[..retry]), DETAIL_PIECES / 2);
        assert!(matches!(
            events[retry + 1],
            Download::Receiving { total: Some(_) }
        ));
        assert_eq!(received(&events[retry..]), DETAIL_PIECES);

        // Without retries, the break is the result.
        let (server, client) = start().await;
        let url = server.url(&format!("items/{CUT_DETAIL}"));
        let (_, result) = run_download(&client, url, Retry::NONE).await;
        let error = result.unwrap_err();
        assert!(matches!(error.kind, FetchErrorKind::Transport { .. }));
        assert_eq!((error.status(), error.attempts), (Some(StatusCode::OK), 1));
    })
    .await;
}

#[tokio::test]
async fn a_download_that_times_out_mid_body_returns_the_timeout() {
    within(async {
        // The headers come at once, the eight pieces of the body 200 ms apart.
        let (server, _) = start_with(Config {
            piece_delay: Duration::from_millis(200),
            ..CONFIG
        })
        .await;
        let impatient = client(Duration::from_millis(300)).unwrap();
        let (events, result) = run_download(&impatient, server.url("items/2"), Retry::NONE).await;
        assert!(
            matches!(events.first(), Some(Download::Receiving { .. })),
            "{events:?}"
        );
        let error = result.unwrap_err();
        assert!(matches!(error.kind, FetchErrorKind::Timeout), "{error}");
        assert!(
            error
                .to_string()
                .contains("/items/2: no response: timed out")
        );
    })
    .await;
}

#[tokio::test]
async fn concurrent_downloads_overlap_and_report_every_item() {
    within(async {
        let (server, client) = start_with(Config {
            piece_delay: Duration::from_millis(25),
            ..CONFIG
        })
        .await;
        let log = Mutex::new(Vec::new());
        let on_event = |id: u32, event: DetailEvent<'_>| {
            let what = match event {
                DetailEvent::Started => "started",
                DetailEvent::Progress(Download::Retrying { .. }) => "retrying",
                DetailEvent::Progress(_) => return,
                DetailEvent::Done(Ok(_)) => "done",
                DetailEvent::Done(Err(_)) => "failed",
            };
            log.lock().unwrap().push((id, what));
        };
        let wanted = (1..=CATALOGUE_SIZE).chain([99]);
        let results =
            fetch_details(&client, server.base(), wanted, 4, QUICK_RETRY, &on_event).await;

        assert_eq!(results.len(), CATALOGUE_SIZE as usize + 1);
        let mut fetched = HashSet::new();
        for (id, result) in &results {
            match result {
                Ok(detail) => {
                    assert_eq!(detail.id, *id);
                    fetched.insert(*id);
                }
                Err(error) => {
                    assert_eq!(*id, 99);
                    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
                }
            }
        }
        assert_eq!(fetched, (1..=CATALOGUE_SIZE).collect());
        let max = server.max_in_flight();
        assert!((2..=4).contains(&max), "{max} requests in flight at most");

        let log = log.into_inner().unwrap();
        for id in 1..=CATALOGUE_SIZE {
            let mine: Vec<&str> = log
                .iter()
                .filter(|(i, _)| *i == id)
                .map(|(_, w)| *w)
                .collect();
            let expected: &[&str] = if id == FLAKY_DETAIL || id == CUT_DETAIL {
                &["started", "retrying", "done"]
            } else {
                &["started", "done"]
            };
            assert_eq!(mine, expected, "item {id}");
        }
        assert!(log.contains(&(99, "failed")));

        // One at a time, the server never sees two.
        let (server, client) = start().await;
        let results = fetch_details(
            &client,
            server.base(),
            [1, 2, 3],
            1,
            Retry::NONE,
            &|_, _| {},
        )
        .await;
        assert_eq!(
            results.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(server.max_in_flight(), 1);
    })
    .await;
}

#[test]
fn with_limit_sets_the_limit_and_keeps_the_rest() {
    let url = reqwest::Url::parse("http://127.0.0.1:1/items?after=5&limit=5&sort=name").unwrap();
    assert_eq!(
        with_limit(&url, 9).as_str(),
        "http://127.0.0.1:1/items?after=5&sort=name&limit=9"
    );
    let url = reqwest::Url::parse("http://127.0.0.1:1/items").unwrap();
    assert_eq!(
        with_limit(&url, 3).as_str(),
        "http://127.0.0.1:1/items?limit=3"
    );
}

#[test]
fn retry_waits_double_each_time() {
    let retry = Retry {
        attempts: 4,
        backoff: Duration::from_millis(50),
    };
    let delays: Vec<u128> = (1..=3).map(|n| retry.delay(n).as_millis()).collect();
    assert_eq!(delays, [50, 100, 200]);
    assert_eq!(Retry::NONE.delay(1), Duration::ZERO);
}
