//! QR codes both ways: reading the otpauth link from a screenshot, and drawing one for a new phone.

use super::TotpError;
use crate::secret::{SecretBytes, SecretString};
use image::{GrayImage, ImageReader, Limits};
use serde::Serialize;
use std::io::Cursor;
use std::path::Path;

/// The largest image file we read.
pub const MAX_IMAGE_BYTES: u64 = 20_000_000;
/// The largest image side we decode; larger screenshots are scaled down first.
const MAX_SIDE: u32 = 16_384;
/// At most 40 megapixels (an 8K screenshot is 33), so decoding and the few grey copies the
/// scan makes stay within a few hundred MB whatever the file declares.
const MAX_PIXELS: u64 = 40_000_000;
/// The most a decoded image may take: 40 megapixels of 8-bit RGBA fit, 16-bit RGBA does not.
const MAX_DECODE_BYTES: u64 = 4 * MAX_PIXELS;
/// Sides above this are also tried at half size, where rqrr finds big, blurry codes more easily.
const LARGE_SIDE: u32 = 2_400;

/// Reads the image file at `path` and returns the otpauth link in its QR code.
pub fn read_qr_file(path: &Path) -> Result<SecretString, TotpError> {
    use crate::files::{read_regular_file, ReadError};
    let bytes = match read_regular_file(path, MAX_IMAGE_BYTES) {
        Ok(bytes) => bytes,
        Err(ReadError::TooLarge { .. }) => return Err(TotpError::ImageTooLarge),
        Err(error) => return Err(TotpError::File(error.to_string())),
    };
    decode_qr_image(bytes.expose_secret())
}

/// Finds the QR code in a PNG or JPEG image and returns the otpauth link it holds.
pub fn decode_qr_image(bytes: &[u8]) -> Result<SecretString, TotpError> {
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(TotpError::ImageTooLarge);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| TotpError::ImageUnreadable)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let refused = |error: image::ImageError| match error {
        image::ImageError::Limits(_) => TotpError::ImageTooManyPixels,
        _ => TotpError::ImageUnreadable,
    };
    // A 1 MB file can declare gigapixels: the size is checked before a pixel is decoded.
    let decoder = reader.into_decoder().map_err(refused)?;
    let (width, height) = image::ImageDecoder::dimensions(&decoder);
    let decoded_bytes = image::ImageDecoder::total_bytes(&decoder);
    if u64::from(width) * u64::from(height) > MAX_PIXELS || decoded_bytes > MAX_DECODE_BYTES {
        return Err(TotpError::ImageTooManyPixels);
    }
    let image = image::DynamicImage::from_decoder(decoder)
        .map_err(refused)?
        .to_luma8();

    let mut found_other = false;
    let mut attempts = vec![image];
    let (width, height) = attempts[0].dimensions();
    if width.max(height) > LARGE_SIDE {
        let half = image::imageops::resize(
            &attempts[0],
            width / 2,
            height / 2,
            image::imageops::FilterType::Triangle,
        );
        attempts.push(half);
    }
    // Dark-mode screenshots draw light modules on a dark background.
    let inverted: Vec<GrayImage> = attempts
        .iter()
        .map(|image| {
            let mut copy = image.clone();
            image::imageops::invert(&mut copy);
            copy
        })
        .collect();
    attempts.extend(inverted);
    for image in attempts {
        match scan(image) {
            Scan::Link(link) => return Ok(link),
            Scan::Other => found_other = true,
            Scan::Nothing => {}
        }
    }
    Err(if found_other {
        TotpError::QrNotOtpauth
    } else {
        TotpError::NoQrCode
    })
}

enum Scan {
    Link(SecretString),
    Other,
    Nothing,
}

fn scan(image: GrayImage) -> Scan {
    let (width, height) = image.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            image.get_pixel(x as u32, y as u32).0[0]
        });
    let mut result = Scan::Nothing;
    for grid in prepared.detect_grids() {
        let mut raw = SecretBytes::from(Vec::new());
        if grid.decode_to(raw.expose_secret_mut()).is_err() {
            continue;
        }
        let Ok(text) = std::str::from_utf8(raw.expose_secret()) else {
            result = Scan::Other;
            continue;
        };
        let text = text.trim();
        if text
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth:"))
        {
            return Scan::Link(SecretString::from(text));
        }
        result = Scan::Other;
    }
    result
}

/// A QR code as a square of modules, for the UI to draw. It encodes a secret, so it is made
/// only when the user explicitly asks to move the backup to a new phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QrMatrix {
    /// Modules per side.
    pub width: u32,
    /// Row by row, true for a dark module.
    pub dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` (an otpauth link) at medium error correction, as authenticator setup pages do.
    pub fn encode(text: &SecretString) -> Option<Self> {
        let code = qrcode::QrCode::with_error_correction_level(
            text.expose_secret().as_bytes(),
            qrcode::EcLevel::M,
        )
        .ok()?;
        Some(Self {
            width: code.width() as u32,
            dark: code
                .to_colors()
                .into_iter()
                .map(|color| color == qrcode::Color::Dark)
                .collect(),
        })
    }
}
