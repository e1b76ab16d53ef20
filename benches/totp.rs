//! Authenticator speed: reading QR codes from screenshots of common sizes (the user waits on
//! this after choosing an image), and computing and verifying codes.

use criterion::{criterion_group, criterion_main, Criterion};
use image::{GrayImage, ImageFormat, Luma};
use pypi_recovery::secret::SecretString;
use pypi_recovery::totp::{decode_qr_image, parse_uri, Algorithm, TotpKey};
use std::hint::black_box;
use std::io::Cursor;

const LINK: &str = "otpauth://totp/PyPI:mirafoss?digits=6&secret=KRSXG5CTMVRXEZLUKN2G64TFMQYTEMZU&algorithm=SHA1&issuer=PyPI&period=30";

/// A light `width`×`height` page with the code drawn at `scale` pixels per module (0: no code).
fn screenshot(width: u32, height: u32, scale: u32) -> Vec<u8> {
    let mut image = GrayImage::from_fn(width, height, |x, y| {
        Luma([if y % 40 < 12 && x > width / 2 {
            200
        } else {
            250
        }])
    });
    if scale > 0 {
        let code = qrcode::QrCode::new(LINK.as_bytes()).unwrap();
        let modules = code.width() as u32;
        for (i, color) in code.to_colors().into_iter().enumerate() {
            if color == qrcode::Color::Dark {
                let (mx, my) = (i as u32 % modules, i as u32 / modules);
                for dy in 0..scale {
                    for dx in 0..scale {
                        image.put_pixel(100 + mx * scale + dx, 100 + my * scale + dy, Luma([10]));
                    }
                }
            }
        }
    }
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    png
}

fn bench(c: &mut Criterion) {
    let mut qr = c.benchmark_group("qr-decode");
    qr.sample_size(10);
    for (name, png) in [
        ("1280x800", screenshot(1280, 800, 4)),
        ("1920x1080", screenshot(1920, 1080, 6)),
        ("3840x2160", screenshot(3840, 2160, 10)),
        ("1920x1080-no-code", screenshot(1920, 1080, 0)),
    ] {
        if name.ends_with("no-code") {
            assert!(decode_qr_image(&png).is_err());
        } else {
            assert_eq!(decode_qr_image(&png).unwrap().expose_secret(), LINK);
        }
        qr.bench_function(name, |b| b.iter(|| decode_qr_image(black_box(&png))));
    }
    qr.finish();

    let key = parse_uri(LINK).unwrap();
    let sha512 = TotpKey::new(
        "KRSXG5CTMVRXEZLUKN2G64TFMQYTEMZU",
        None,
        "x",
        Algorithm::Sha512,
        8,
        30,
    )
    .unwrap();
    let wrong = SecretString::from("000000");
    c.bench_function("totp/parse-link", |b| b.iter(|| parse_uri(black_box(LINK))));
    c.bench_function("totp/code-sha1", |b| {
        b.iter(|| key.code_at(black_box(1_800_000_000)));
    });
    c.bench_function("totp/code-sha512", |b| {
        b.iter(|| sha512.code_at(black_box(1_800_000_000)));
    });
    // A code that matches nothing is the slowest verify: 21 steps are tried.
    c.bench_function("totp/verify-no-match", |b| {
        b.iter(|| key.verify(black_box(&wrong), 1_800_000_000));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
