//! An imported request file or a draft: parsed, then checked, scanned and rendered.
#![no_main]
use pypi_recovery::request::{self, Preview, Request};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = Request::from_json(data) {
        let _ = request::check(&parsed);
        let _ = Preview::of(&parsed, Some("https://github.com/pypi/support/issues/1"));
        let _ = Request::from_json(parsed.to_json().expect("a request encodes").as_bytes()).expect("our own JSON reads back");
    }
});
