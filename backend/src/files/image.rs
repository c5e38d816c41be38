//! What the server does to an uploaded image, as pure functions over bytes (run on the
//! blocking pool): refuse decompression bombs before decoding, remove metadata (EXIF with
//! its GPS position, XMP, IPTC, comments) without re-encoding where the format allows,
//! make a thumbnail, and make the square avatar variants.
//!
//! Photos from phones are often stored sideways with an EXIF orientation tag. Removing the
//! tag would show them sideways, so such an image is turned upright and re-encoded instead
//! (which also drops every other piece of metadata).

use api::files::{AVATAR_SIZES, THUMB_MAX};
use image::{
    DynamicImage, ImageDecoder as _, ImageFormat, ImageReader, Limits,
    codecs::{jpeg::JpegEncoder, png::PngEncoder, webp::WebPEncoder},
    imageops::FilterType,
    metadata::Orientation,
};
use img_parts::{Bytes, ImageEXIF as _};
use std::io::Cursor;

/// Quality of re-encoded photos (only those that had to be turned upright).
const UPRIGHT_QUALITY: u8 = 92;
/// Quality of thumbnails and avatars.
const PREVIEW_QUALITY: u8 = 82;

/// The image formats the server decodes and shows inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    WebP,
}

impl Format {
    /// Recognises a format by the content's first bytes (its signature), nothing else.
    pub fn sniff(head: &[u8]) -> Option<Self> {
        match image::guess_format(head).ok()? {
            ImageFormat::Jpeg => Some(Self::Jpeg),
            ImageFormat::Png => Some(Self::Png),
            ImageFormat::Gif => Some(Self::Gif),
            ImageFormat::WebP => Some(Self::WebP),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::WebP => "image/webp",
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Png => ImageFormat::Png,
            Self::Gif => ImageFormat::Gif,
            Self::WebP => ImageFormat::WebP,
        }
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    /// More pixels than allowed: refused before decoding.
    #[error("the image has {0} pixels, more than allowed")]
    TooLarge(u64),
    /// The signature says image, but it does not decode.
    #[error("the image cannot be read: {0}")]
    Unreadable(String),
}

impl From<image::ImageError> for ImageProblem {
    fn from(err: image::ImageError) -> Self {
        match err {
            image::ImageError::Limits(_) => Self::TooLarge(0),
            other => Self::Unreadable(other.to_string()),
        }
    }
}

impl From<img_parts::Error> for ImageProblem {
    fn from(err: img_parts::Error) -> Self {
        Self::Unreadable(err.to_string())
    }
}

/// An encoded picture made by the server.
#[derive(Debug)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
}

/// An upload after processing.
#[derive(Debug)]
pub struct Processed {
    /// The bytes to store: the upload without its metadata.
    pub bytes: Vec<u8>,
    /// Upright pixels.
    pub width: u32,
    pub height: u32,
    /// `None` when the image is no larger than a thumbnail (it is its own).
    pub thumb: Option<Encoded>,
}

/// Decodes the image (after checking its size from the header alone), turned upright.
fn decode(
    data: &[u8],
    format: Format,
    max_pixels: u64,
) -> Result<(DynamicImage, bool), ImageProblem> {
    let (width, height) =
        ImageReader::with_format(Cursor::new(data), format.image_format()).into_dimensions()?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(ImageProblem::TooLarge(pixels));
    }
    let mut reader = ImageReader::with_format(Cursor::new(data), format.image_format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    // RGBA16 is the widest buffer a decoder makes, plus room for its own state.
    limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder)?;
    let turned = orientation != Orientation::NoTransforms;
    image.apply_orientation(orientation);
    Ok((image, turned))
}

/// Checks, strips and thumbnails an uploaded image.
pub fn process(data: &[u8], format: Format, max_pixels: u64) -> Result<Processed, ImageProblem> {
    let (image, turned) = decode(data, format, max_pixels)?;
    let bytes = if turned {
        encode_upright(&image, format)?
    } else {
        strip(data, format)?
    };
    let (width, height) = (image.width(), image.height());
    let thumb = if width.max(height) > THUMB_MAX {
        Some(encode_preview(&image.thumbnail(THUMB_MAX, THUMB_MAX))?)
    } else {
        None
    };
    Ok(Processed {
        bytes,
        width,
        height,
        thumb,
    })
}

/// The avatar variants (`AVATAR_SIZES`): the middle square of the image, scaled.
pub fn avatar(
    data: &[u8],
    format: Format,
    max_pixels: u64,
) -> Result<Vec<(u32, Encoded)>, ImageProblem> {
    let (image, _) = decode(data, format, max_pixels)?;
    AVATAR_SIZES
        .iter()
        .map(|&size| {
            let square = image.resize_to_fill(size, size, FilterType::Lanczos3);
            Ok((size, encode_preview(&square)?))
        })
        .collect()
}

/// A JPEG when every pixel is opaque, else a PNG (keeps transparency).
fn encode_preview(image: &DynamicImage) -> Result<Encoded, ImageProblem> {
    let opaque = !image.color().has_alpha() || image.to_rgba8().pixels().all(|p| p.0[3] == 255);
    let mut bytes = Vec::new();
    let mime = if opaque {
        let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
        rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, PREVIEW_QUALITY))?;
        "image/jpeg"
    } else {
        let rgba = DynamicImage::ImageRgba8(image.to_rgba8());
        rgba.write_with_encoder(PngEncoder::new(&mut bytes))?;
        "image/png"
    };
    Ok(Encoded {
        bytes,
        mime,
        width: image.width(),
        height: image.height(),
    })
}

/// Re-encodes an image that had to be turned upright, in its own format where the encoder
/// can (WebP is written lossless; a GIF's first frame as PNG is not wanted, so GIFs, which
/// carry no orientation, never get here).
fn encode_upright(image: &DynamicImage, format: Format) -> Result<Vec<u8>, ImageProblem> {
    let mut bytes = Vec::new();
    match format {
        Format::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
            rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, UPRIGHT_QUALITY))?;
        }
        Format::Png | Format::Gif => {
            image.write_with_encoder(PngEncoder::new(&mut bytes))?;
        }
        Format::WebP => {
            let rgba = DynamicImage::ImageRgba8(image.to_rgba8());
            rgba.write_with_encoder(WebPEncoder::new_lossless(&mut bytes))?;
        }
    }
    Ok(bytes)
}

/// Removes metadata without touching the pixels' encoding.
pub fn strip(data: &[u8], format: Format) -> Result<Vec<u8>, ImageProblem> {
    let bytes = Bytes::copy_from_slice(data);
    Ok(match format {
        Format::Jpeg => {
            use img_parts::jpeg::{Jpeg, markers};
            let mut jpeg = Jpeg::from_bytes(bytes)?;
            // Keep JFIF (APP0), the colour profile (APP2) and Adobe's colour transform
            // (APP14, needed to decode CMYK/YCCK); drop EXIF and XMP (APP1), IPTC
            // (APP13), every other application segment and comments.
            jpeg.segments_mut().retain(|s| {
                let m = s.marker();
                !(matches!(m, markers::APP1..=markers::APP15)
                    && m != markers::APP2
                    && m != markers::APP14
                    || m == markers::COM)
            });
            jpeg.encoder().bytes().to_vec()
        }
        Format::Png => {
            use img_parts::png::Png;
            let mut png = Png::from_bytes(bytes)?;
            png.chunks_mut()
                .retain(|c| !matches!(&c.kind(), b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME"));
            png.encoder().bytes().to_vec()
        }
        Format::WebP => {
            use img_parts::webp::{CHUNK_XMP, WebP};
            let mut webp = WebP::from_bytes(bytes)?;
            webp.remove_chunks_by_id(CHUNK_XMP);
            // Also recomputes the VP8X flags for what is left.
            webp.set_exif(None);
            webp.encoder().bytes().to_vec()
        }
        Format::Gif => strip_gif(data)?,
    })
}

/// Copies a GIF's frames (still compressed) and its loop count into a new file, leaving
/// out comments and application blocks (XMP lives there).
fn strip_gif(data: &[u8]) -> Result<Vec<u8>, ImageProblem> {
    let unreadable = |e: &dyn std::fmt::Display| ImageProblem::Unreadable(e.to_string());
    let mut options = gif::DecodeOptions::new();
    options.skip_frame_decoding(true);
    let mut decoder = options
        .read_info(Cursor::new(data))
        .map_err(|e| unreadable(&e))?;
    let palette = decoder.global_palette().unwrap_or_default().to_vec();
    let repeat = decoder.repeat();
    let mut out = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut out, decoder.width(), decoder.height(), &palette)
            .map_err(|e| unreadable(&e))?;
        if repeat != gif::Repeat::Finite(0) {
            encoder.set_repeat(repeat).map_err(|e| unreadable(&e))?;
        }
        while let Some(frame) = decoder.read_next_frame().map_err(|e| unreadable(&e))? {
            encoder
                .write_lzw_pre_encoded_frame(frame)
                .map_err(|e| unreadable(&e))?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_pixel(width, height, Rgb([200, 30, 30]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_with_encoder(JpegEncoder::new_with_quality(&mut out, 90))
            .unwrap_or_default();
        out
    }

    /// An APP1 EXIF segment carrying a marker string, inserted after SOI.
    fn with_exif(jpeg: &[u8], marker: &str) -> Vec<u8> {
        let mut payload = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0".to_vec();
        payload.extend_from_slice(marker.as_bytes());
        let len = (payload.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    /// A 40-byte GIF claiming `width × height` pixels: a screen and one frame that size,
    /// with next to no pixel data.
    pub fn gif_bomb(width: u16, height: u16) -> Vec<u8> {
        let mut gif = b"GIF89a".to_vec();
        gif.extend_from_slice(&width.to_le_bytes());
        gif.extend_from_slice(&height.to_le_bytes());
        gif.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]);
        gif.extend_from_slice(&[0x2c, 0, 0, 0, 0]);
        gif.extend_from_slice(&width.to_le_bytes());
        gif.extend_from_slice(&height.to_le_bytes());
        gif.extend_from_slice(&[0, 2, 2, 0x44, 0x01, 0, 0x3b]);
        gif
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn sniffs_by_signature_only() {
        assert_eq!(Format::sniff(&jpeg(4, 4)), Some(Format::Jpeg));
        assert_eq!(Format::sniff(b"GIF89a\x01\0\x01\0"), Some(Format::Gif));
        assert_eq!(Format::sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(
            Format::sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            None
        );
    }

    #[test]
    fn exif_is_removed_and_the_picture_kept() {
        let original = with_exif(&jpeg(600, 300), "GPS-31.2304N-121.4737E");
        assert!(contains(&original, b"GPS-31.2304N"));
        let done = process(&original, Format::Jpeg, 1_000_000).unwrap_or_else(|e| panic!("{e}"));
        assert!(!contains(&done.bytes, b"GPS-31.2304N"));
        assert!(!contains(&done.bytes, b"Exif\0\0"));
        assert_eq!((done.width, done.height), (600, 300));
        let thumb = done.thumb.unwrap_or_else(|| panic!("no thumbnail"));
        assert_eq!((thumb.width, thumb.height), (THUMB_MAX, THUMB_MAX / 2));
        assert_eq!(thumb.mime, "image/jpeg");
        // Still a JPEG that decodes.
        assert!(image::load_from_memory(&done.bytes).is_ok());
    }

    #[test]
    fn small_images_are_their_own_thumbnail() {
        let done =
            process(&jpeg(100, 80), Format::Jpeg, 1_000_000).unwrap_or_else(|e| panic!("{e}"));
        assert!(done.thumb.is_none());
    }

    #[test]
    fn too_many_pixels_are_refused_before_decoding() {
        let bomb = gif_bomb(60000, 60000);
        assert_eq!(
            process(&bomb, Format::Gif, 50_000_000).map(|_| ()),
            Err(ImageProblem::TooLarge(3_600_000_000))
        );
    }

    #[test]
    fn avatars_are_squares_and_keep_transparency() {
        let img = RgbaImage::from_pixel(300, 100, Rgba([0, 0, 255, 100]));
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_with_encoder(PngEncoder::new(&mut png))
            .unwrap_or_default();
        let variants = avatar(&png, Format::Png, 1_000_000).unwrap_or_else(|e| panic!("{e}"));
        let sizes: Vec<(u32, u32, u32, &str)> = variants
            .iter()
            .map(|(s, e)| (*s, e.width, e.height, e.mime))
            .collect();
        assert_eq!(
            sizes,
            vec![(64, 64, 64, "image/png"), (256, 256, 256, "image/png")]
        );
    }

    #[test]
    fn gif_comments_are_removed() {
        // A 1×1 GIF with a comment block.
        let mut gif = b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff".to_vec();
        gif.extend_from_slice(b"\x21\xfe\x0bsecret-note\0");
        gif.extend_from_slice(b"\x2c\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0\x3b");
        let done = process(&gif, Format::Gif, 1_000_000).unwrap_or_else(|e| panic!("{e}"));
        assert!(!contains(&done.bytes, b"secret-note"));
        assert!(image::load_from_memory(&done.bytes).is_ok());
    }
}
