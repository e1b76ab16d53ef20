//! Password-check speed: our bounded evaluation next to raw zxcvbn-rs on the same inputs.
//! Targets (issue 6): typical passwords ≤ 1 ms; the worst input up to 4096 characters ≤ 25 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use pypi_recovery::secret::SecretString;
use pypi_recovery::strength::evaluate;
use std::hint::black_box;

fn inputs() -> Vec<(&'static str, String)> {
    vec![
        ("typical/password", "password".into()),
        ("typical/mirafoss88", "mirafoss88".into()),
        ("typical/passphrase", "correct horse battery staple".into()),
        ("typical/random16", "xK9#mQ2!vL7$wR4@".into()),
        ("crafted/leet-punct-100", "@4!1|3$5$7+".repeat(9)),
        ("crafted/leet-words-100", "P4$$w0rd!".repeat(11)),
        ("crafted/symbols-100", "!@#$%^&*()".repeat(10)),
        ("crafted/six-leet-100", "@4!1|3".repeat(17)),
        ("crafted/leet-4096", "@4!1|3$5$7+".repeat(373)),
        ("crafted/repeat-4096", "a".repeat(4096)),
    ]
}

fn bench(c: &mut Criterion) {
    // The dictionaries load once per process; keep that out of the per-call figures.
    let _ = zxcvbn::zxcvbn("warm up", &[]);
    let mut ours = c.benchmark_group("ours");
    for (name, password) in inputs() {
        let secret = SecretString::from(password.as_str());
        ours.bench_function(name, |b| {
            b.iter(|| evaluate(black_box(&secret), &["mirafoss", "Mira Foss"]));
        });
    }
    ours.finish();
    let mut raw = c.benchmark_group("raw-zxcvbn-rs");
    raw.sample_size(10);
    for (name, password) in inputs() {
        raw.bench_function(name, |b| {
            b.iter(|| zxcvbn::zxcvbn(black_box(&password), &["mirafoss", "Mira Foss"]));
        });
    }
    raw.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
