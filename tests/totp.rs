//! The authenticator backup: codes checked against oathtool, QR images the tests draw, every
//! refusal, the real Secret Service through the CLI, and a search for leaked secrets.

mod support;

use image::{GrayImage, ImageFormat, Luma};
use proptest::prelude::*;
use pypi_recovery::secret::SecretString;
use pypi_recovery::totp::{decode_qr_image, parse_uri, Algorithm, TotpError, TotpKey};
use std::io::Cursor;
use std::process::Command;
use support::{assert_no_leak, cli, cli_with_input, secret_tool_lookup, unique};

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buffer = [0u8; 5];
        buffer[..chunk.len()].copy_from_slice(chunk);
        let bits = buffer.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(ALPHABET[(bits >> (35 - 5 * i) & 31) as usize] as char);
        }
    }
    out
}

fn oathtool(secret: &str, algorithm: Algorithm, digits: u8, period: u64, at: u64) -> String {
    let output = Command::new("oathtool")
        .arg(format!("--totp={}", algorithm.as_str().to_lowercase()))
        .args(["--base32", &format!("--digits={digits}")])
        .arg(format!("--time-step-size={period}s"))
        .arg(format!("--now=@{at}"))
        .arg(secret)
        .output()
        .expect("oathtool is installed by `cargo xtask test`");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[test]
fn codes_agree_with_oathtool() {
    let mut random = Lcg(0x5eed);
    let algorithms = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];
    let lengths = [10, 16, 20, 32, 64];
    let periods = [30, 60, 15, 1, 3600];
    let mut compared = 0;
    for round in 0..90 {
        let len = lengths[round % lengths.len()];
        let secret: Vec<u8> = (0..len).map(|_| random.next() as u8).collect();
        let secret = base32(&secret);
        let algorithm = algorithms[round % 3];
        let digits = 6 + (round / 3 % 3) as u8;
        let period = periods[round / 9 % periods.len()];
        let at = random.next() % 4_000_000_000;
        let key = TotpKey::new(&secret, None, "x", algorithm, digits.into(), period).unwrap();
        assert_eq!(
            key.code_at(at).expose_secret(),
            &oathtool(&secret, algorithm, digits, period, at),
            "{algorithm} {digits} digits, {period} s, at {at}, {len}-byte secret"
        );
        compared += 1;
    }
    assert_eq!(compared, 90);
}

/// Draws `text` as a QR code: `scale` pixels per module, inside a grey, busy "screenshot".
fn qr_png(text: &str, scale: u32, noise: u8, format: ImageFormat) -> Vec<u8> {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let (margin, canvas) = (4 * scale + 60, modules * scale + 2 * (4 * scale + 60));
    let mut random = Lcg(u64::from(scale) * 31 + u64::from(noise));
    let mut image = GrayImage::from_fn(canvas + 200, canvas, |x, y| {
        // A window-like frame: a title bar, a text-ish stripe, a light page.
        if y < 24 {
            Luma([60])
        } else if x > canvas + 20 && y % 16 < 6 {
            Luma([120])
        } else {
            Luma([235])
        }
    });
    let quiet = 4 * scale;
    for y in 0..(modules * scale + 2 * quiet) {
        for x in 0..(modules * scale + 2 * quiet) {
            let (mx, my) = (x.checked_sub(quiet), y.checked_sub(quiet));
            let dark = match (mx, my) {
                (Some(mx), Some(my)) if mx < modules * scale && my < modules * scale => {
                    colors[((my / scale) * modules + mx / scale) as usize] == qrcode::Color::Dark
                }
                _ => false,
            };
            image.put_pixel(
                margin - quiet + x,
                margin - quiet + y,
                Luma([if dark { 20 } else { 250 }]),
            );
        }
    }
    if noise > 0 {
        for pixel in image.pixels_mut() {
            let delta = (random.next() % (2 * u64::from(noise) + 1)) as i16 - i16::from(noise);
            pixel.0[0] = (i16::from(pixel.0[0]) + delta).clamp(0, 255) as u8;
        }
    }
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

const PYPI_LINK: &str = "otpauth://totp/PyPI:alice?digits=6&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&issuer=PyPI&period=30";

#[test]
fn qr_screenshots_decode_in_several_sizes_with_noise() {
    for (scale, noise, format) in [
        (2, 0, ImageFormat::Png),
        (3, 20, ImageFormat::Png),
        (6, 40, ImageFormat::Png),
        (12, 10, ImageFormat::Png),
        (4, 15, ImageFormat::Jpeg),
    ] {
        let png = qr_png(PYPI_LINK, scale, noise, format);
        let link = decode_qr_image(&png)
            .unwrap_or_else(|e| panic!("scale {scale}, noise {noise}, {format:?}: {e}"));
        assert_eq!(link.expose_secret(), PYPI_LINK);
        let key = parse_uri(link.expose_secret()).unwrap();
        assert_eq!(key.label, "alice");
    }
}

#[test]
fn images_without_an_authenticator_code_are_refused() {
    let blank = {
        let image = GrayImage::from_pixel(640, 480, Luma([240]));
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    };
    assert_eq!(decode_qr_image(&blank), Err(TotpError::NoQrCode));
    let website = qr_png("https://pypi.org/project/requests/", 4, 0, ImageFormat::Png);
    assert_eq!(decode_qr_image(&website), Err(TotpError::QrNotOtpauth));
    // Eight bytes in falls inside the third CJK character: a QR of a WeChat contact card.
    let cjk = qr_png("微信联系人名片", 4, 0, ImageFormat::Png);
    assert_eq!(decode_qr_image(&cjk), Err(TotpError::QrNotOtpauth));
    assert_eq!(
        decode_qr_image(b"not an image at all"),
        Err(TotpError::ImageUnreadable)
    );
    let truncated = &qr_png(PYPI_LINK, 4, 0, ImageFormat::Png)[..400];
    assert_eq!(decode_qr_image(truncated), Err(TotpError::ImageUnreadable));
    let huge = vec![0u8; 20_000_001];
    assert_eq!(decode_qr_image(&huge), Err(TotpError::ImageTooLarge));
}

/// A PNG that declares `width`×`height` and holds no pixels: a decompression bomb's header.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let chunk = |name: &[u8], data: &[u8]| {
        let body: Vec<u8> = name.iter().chain(data).copied().collect();
        let crc = body.iter().fold(!0u32, |mut crc, &byte| {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
            crc
        });
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend(body);
        out.extend((!crc).to_be_bytes());
        out
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]); // 8-bit greyscale, no interlacing
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &[]));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// What a file declares is checked before any pixel is decoded: a tiny file claiming 64 or
/// 400 megapixels is refused as such, while a plausible size only fails for its missing data.
#[test]
fn images_declaring_too_many_pixels_are_refused_before_decoding() {
    for (width, height) in [(8_000, 8_000), (20_000, 20_000), (40_001, 1_000)] {
        assert_eq!(
            decode_qr_image(&png_header_only(width, height)),
            Err(TotpError::ImageTooManyPixels),
            "{width}×{height}"
        );
    }
    assert_eq!(
        decode_qr_image(&png_header_only(4_000, 4_000)),
        Err(TotpError::ImageUnreadable)
    );
}

#[test]
fn the_cli_refuses_an_oversized_image_before_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.png");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(21_000_000).unwrap();
    let output = cli()
        .args(["totp", "import", "--account", "x", "--qr"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("larger than 20 MB"));
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn import_code_verify_list_and_remove_through_the_cli() {
    let account = unique("totp-cli");
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ";
    let link = format!("otpauth://totp/PyPI:{account}?secret={secret}&issuer=PyPI");
    let mut outputs = Vec::new();

    let imported = cli_with_input(&["totp", "import", "--account", &account], &link);
    assert!(imported.status.success(), "{imported:?}");
    outputs.push(imported);

    // The same account again needs --replace; nothing changes without it.
    let again = cli_with_input(&["totp", "import", "--account", &account], &link);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already stored"));
    outputs.push(again);

    let at = 1_900_000_000u64;
    let code = cli()
        .args([
            "totp",
            "code",
            "--account",
            &account,
            "--at",
            &at.to_string(),
        ])
        .output()
        .unwrap();
    assert!(code.status.success());
    let printed = String::from_utf8(code.stdout).unwrap();
    assert_eq!(
        printed,
        format!("{}\n", oathtool(secret, Algorithm::Sha1, 6, 30, at))
    );

    let verify = |code: &str, at: u64| {
        cli()
            .args([
                "totp",
                "verify",
                "--account",
                &account,
                code,
                "--at",
                &at.to_string(),
            ])
            .output()
            .unwrap()
    };
    let previous_step = oathtool(secret, Algorithm::Sha1, 6, 30, at - 30);
    let matched = verify(&previous_step, at);
    assert_eq!(matched.status.code(), Some(0), "{matched:?}");
    let skewed = verify(&oathtool(secret, Algorithm::Sha1, 6, 30, at + 150), at);
    assert_eq!(skewed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&skewed.stderr)
        .contains("your phone's or this computer's clock is off"));
    let malformed = verify("12ab56", at);
    assert_eq!(malformed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("6-digit"));

    // Now, without --at, the current code verifies.
    let current = cli()
        .args(["totp", "code", "--account", &account])
        .output()
        .unwrap();
    let current = String::from_utf8(current.stdout).unwrap();
    let live = verify(current.trim(), now());
    assert!(live.status.success(), "{live:?}");

    let list = cli().args(["totp", "list", "--json"]).output().unwrap();
    assert!(list.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["account"] == account.as_str())
        .expect("listed");
    assert_eq!(row["issuer"], "PyPI");
    assert_eq!(row["algorithm"], "SHA1");
    assert_eq!(row["digits"], 6);
    assert_eq!(row["period"], 30);
    outputs.push(list);

    // The item is a separate Secret Service item, readable by another client.
    let found = secret_tool_lookup("pypi-recovery-assistant:totp", &account);
    assert!(found.status.success() && !found.stdout.is_empty());

    let texts: Vec<String> = outputs
        .iter()
        .chain([&matched, &skewed, &malformed, &live])
        .flat_map(|o| {
            [
                String::from_utf8_lossy(&o.stdout).into_owned(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            ]
        })
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_no_leak(&[secret, "JBSWY3DPEHPK3PXP", "jbswy3dpehpk3pxp"], &texts);

    let refused = cli()
        .args(["totp", "remove", "--account", &account])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1), "no terminal, no --yes");
    let removed = cli()
        .args(["totp", "remove", "--account", &account, "--yes"])
        .output()
        .unwrap();
    assert!(removed.status.success(), "{removed:?}");
    let gone = cli()
        .args(["totp", "code", "--account", &account])
        .output()
        .unwrap();
    assert_eq!(gone.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("No authenticator backup"));
}

#[test]
fn a_qr_image_imports_through_the_cli_and_weak_secrets_are_flagged() {
    let account = unique("totp-qr");
    let link = "otpauth://totp/GitHub:carol?secret=jbsw%20y3dp%20ehpk%203pxp&issuer=GitHub";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("screenshot.png");
    std::fs::write(&path, qr_png(link, 5, 10, ImageFormat::Png)).unwrap();
    let imported = cli()
        .args(["totp", "import", "--account", &account, "--qr"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(imported.status.success(), "{imported:?}");
    let said = String::from_utf8_lossy(&imported.stderr);
    assert!(said.contains("80 bits"), "{said}");
    let code = cli()
        .args(["totp", "code", "--account", &account, "--at", "59"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&code.stdout).trim(),
        oathtool("JBSWY3DPEHPK3PXP", Algorithm::Sha1, 6, 30, 59)
    );
    assert!(cli()
        .args(["totp", "remove", "--account", &account, "--yes"])
        .status()
        .unwrap()
        .success());
}

#[test]
fn refused_input_stores_nothing_and_usage_errors_exit_2() {
    let account = unique("totp-refused");
    let hotp = cli_with_input(
        &["totp", "import", "--account", &account],
        "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=3",
    );
    assert_eq!(hotp.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&hotp.stderr).contains("HOTP"));
    assert!(!String::from_utf8_lossy(&hotp.stderr).contains("JBSWY3DP"));
    let listed = cli().args(["totp", "list", "--json"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&listed.stdout).contains(&account));

    for args in [
        &["totp", "import"][..],
        &["totp", "code", "--account", "x", "--at", "soon"],
        &["totp", "verify", "--account", "x"],
    ] {
        let output = cli().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn links_never_panic_and_never_echo_the_secret(
        label in "[^?#]{0,40}",
        secret in "[A-Za-z2-7 =-]{0,60}",
        extra in "[a-z]{0,8}=[^&]{0,12}",
        digits in "[0-9]{0,3}",
        period in "-?[0-9]{0,22}",
        algorithm in "(SHA1|sha256|SHA512|MD5|)",
    ) {
        let link = format!(
            "otpauth://totp/{label}?secret={secret}&digits={digits}&period={period}&algorithm={algorithm}&{extra}"
        );
        if let Err(error) = parse_uri(&link) {
            let message = error.to_string();
            let compact: String = secret.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            if compact.len() >= 8 {
                prop_assert!(!message.contains(&compact));
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        let _ = parse_uri(&text);
        let _ = parse_uri(&format!("otpauth://totp/{text}"));
    }

    #[test]
    fn arbitrary_bytes_are_never_taken_for_an_image(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        prop_assert!(decode_qr_image(&bytes).is_err());
    }

    #[test]
    fn typed_codes_never_panic(code in ".{0,20}", at in any::<u64>()) {
        let key = TotpKey::new("JBSWY3DPEHPK3PXP", None, "x", Algorithm::Sha1, 6, 30).unwrap();
        let _ = key.verify(&SecretString::from(code), at);
    }
}

/// The next code is given only in the last seconds of a period, and is then the code of the
/// period that follows.
#[test]
fn the_next_code_is_given_only_near_the_end_of_a_period() {
    use pypi_recovery::keychain::FileVault;
    use pypi_recovery::totp::{TotpBackups, NEXT_CODE_WITHIN_SECONDS};
    let dir = tempfile::tempdir().unwrap();
    let store = FileVault::new(dir.path().join("vault.age"), None);
    store
        .create(SecretString::from("a long passphrase"))
        .unwrap();
    let link = "otpauth://totp/PyPI:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=PyPI";
    let key = parse_uri(link).unwrap();
    let backups = TotpBackups::new(&store);
    backups
        .import(
            "alice",
            key.clone(),
            false,
            time::OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();

    let early = backups.code("alice", 30 + 5).unwrap();
    assert_eq!(early.seconds_left, 25);
    assert!(early.next.is_none(), "25 s left: not yet");
    let edge = 60 - NEXT_CODE_WITHIN_SECONDS;
    let late = backups.code("alice", edge).unwrap();
    assert_eq!(
        late.next.unwrap().expose_secret(),
        key.code_at(60).expose_secret(),
        "{NEXT_CODE_WITHIN_SECONDS} s left: the next period's code"
    );
    assert!(backups.code("alice", edge - 1).unwrap().next.is_none());
}
