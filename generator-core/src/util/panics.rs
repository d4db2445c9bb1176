//! The crate's panics, out of line. Each is `#[cold]` and never inlined, so
//! the check that leads to it costs a compare and a call in the hot path and
//! keeps a generator's `poll` small enough for LLVM to inline into the loop
//! that drives it.

/// A yield was polled with a waker that is not its driver's (checked with
/// debug assertions only: see `channel::channel`).
#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn polled_outside_resume() -> ! {
    panic!(
        "a pygen yield was polled outside of its generator's resume \
         (for example by a combinator that polls with a waker of its own); \
         yields only work when the generator itself drives its body"
    )
}

/// A yield point was polled again without a resume delivering a value.
#[cold]
#[inline(never)]
pub(crate) fn resumed_without_value() -> ! {
    panic!(
        "pygen internal invariant broken: a yield was resumed without a value \
         (the generator body was polled again outside of next/send/throw/close)"
    )
}

/// A synchronous body suspended without leaving anything in the channel.
#[cold]
#[inline(never)]
pub(crate) fn awaited_foreign_future() -> ! {
    panic!(
        "a pygen generator body awaited a future that is not a yield: \
         synchronous generators cannot `.await` (make the function `async`)"
    )
}

/// An internal invariant of the protocol does not hold.
#[cold]
#[inline(never)]
pub(crate) fn invariant(what: &'static str) -> ! {
    panic!("pygen internal invariant broken: {what}")
}

/// A resume delivered a value that no yield took: it would be lost.
#[cold]
#[inline(never)]
pub(crate) fn input_not_taken() -> ! {
    panic!(
        "a pygen resume delivered a value that no yield took: the yield the generator \
         was suspended at was not polled again (a select or join around a yield?)"
    )
}

/// `into_pinned()` of a started movable handle (`face` names it).
#[cfg(feature = "alloc")]
#[cold]
#[inline(never)]
pub(crate) fn started_cannot_move(face: &str) -> ! {
    panic!("{face}::into_pinned: the generator has already started and cannot move out of its box")
}

/// A `yield_from!` by value of a handle that has started or finished:
/// `what` says what to write instead.
#[cold]
#[inline(never)]
pub(crate) fn misused(what: &'static str) -> ! {
    panic!("{what}")
}

/// A method that needs an unstarted handle (`what` names it) got a
/// started one.
#[cfg(feature = "alloc")]
#[cold]
#[inline(never)]
pub(crate) fn already_started(what: &str) -> ! {
    panic!("{what}: the generator has already started")
}

/// `primed()` of a generator whose body returned before its first yield.
#[cfg(feature = "alloc")]
#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn returned_before_priming() -> ! {
    panic!(
        "primed(): the generator returned before its first yield, so no sent value can reach \
         it (Python's @coroutine raises StopIteration here); call start() to get its return value"
    )
}

/// A frame of direct delegation is about to dangle, or one the resume did
/// not link was found on a stack: nothing can unwind safely from here (the
/// unwind guards would follow the frame's pointer), so the process aborts.
/// Only a delegation future handled outside of its `yield_from!` can get
/// here, which the crate's API does not allow (see SAFETY.md, "What a user
/// crate can redirect"); this is defence in depth, in debug builds.
#[cfg(debug_assertions)]
#[cold]
#[inline(never)]
pub(crate) fn abort_frame(what: &'static str) -> ! {
    #[cfg(feature = "std")]
    {
        std::eprintln!("pygen: {what}: a frame of direct delegation would dangle; aborting");
        std::process::abort()
    }
    #[cfg(not(feature = "std"))]
    {
        /// Panics while the first panic unwinds, which aborts.
        struct Abort;
        impl Drop for Abort {
            fn drop(&mut self) {
                panic!("pygen: aborting")
            }
        }
        let _abort = Abort;
        panic!("pygen: {what}: a frame of direct delegation would dangle; aborting")
    }
}
