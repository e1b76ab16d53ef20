//! GitHub's answers for "Track my request": the issue, and the search that gives the queue.
//! The first byte says where the issue's bytes end and the search's begin.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((&split, rest)) = data.split_first() {
        let at = usize::from(split).min(rest.len());
        let (issue, search) = rest.split_at(rest.len() - at);
        pypi_recovery::online::github::fuzz_bodies(issue, search);
    }
});
