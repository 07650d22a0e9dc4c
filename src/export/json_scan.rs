//! Where a string of the JSON export needs an escape: sixteen bytes at a time with SSE2.
//! Kept because the JSON export of 10,000 problems misses its 25 ms goal without it and the
//! prefetch hints (`examples/export_loop`, measured on this machine); the tests check it
//! against the byte table [`MAY_NEED_ESCAPE`].

/// Whether any byte of `bytes` is one [`MAY_NEED_ESCAPE`] marks: sixteen bytes at a time, the last
/// sixteen (or a short string's few) in one overlapping look.
#[inline(always)]
pub(super) fn any_look(bytes: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        let n = bytes.len();
        if n >= 16 {
            let chunk = |at: usize| -> &[u8; 16] { bytes[at..at + 16].try_into().expect("16") };
            let mut i = 0;
            while i + 16 < n {
                if sse2::look_mask(chunk(i)) != 0 {
                    return true;
                }
                i += 16;
            }
            return sse2::look_mask(chunk(n - 16)) != 0;
        }
        // Two overlapping halves cover the string; the look cares which bytes, not where.
        let mut both = [0u8; 16];
        if n >= 8 {
            both[..8].copy_from_slice(&bytes[..8]);
            both[8..].copy_from_slice(&bytes[n - 8..]);
        } else if n >= 4 {
            both[..4].copy_from_slice(&bytes[..4]);
            both[4..8].copy_from_slice(&bytes[n - 4..]);
            both[8..].fill(b' ');
        } else {
            both.fill(b' ');
            both[..n].copy_from_slice(bytes);
        }
        sse2::look_mask(&both) != 0
    }
    #[cfg(not(target_arch = "x86_64"))]
    bytes.iter().any(|&b| MAY_NEED_ESCAPE[b as usize])
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)] // an SSE2 load of sixteen bytes.
mod sse2 {
    use std::arch::x86_64::*;

    /// A bit for each byte of `chunk` that [`super::MAY_NEED_ESCAPE`] marks, the first byte lowest.
    #[inline]
    pub fn look_mask(chunk: &[u8; 16]) -> u32 {
        // SAFETY: SSE2 is part of every x86-64 processor, and the load reads the sixteen
        // bytes of `chunk`, unaligned.
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            // Below 0x20: the byte is its own minimum with 0x1F.
            let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
            let marks = _mm_or_si128(
                _mm_or_si128(
                    _mm_or_si128(control, is(b'"')),
                    _mm_or_si128(is(b'\\'), is(0x7F)),
                ),
                _mm_or_si128(_mm_or_si128(is(0xC2), is(0xD8)), is(0xE2)),
            );
            _mm_movemask_epi8(marks) as u32
        }
    }
}

/// The bytes that may start a character written escaped: C0 controls, `"`, `\`, DEL, and the
/// first bytes of the C1 controls (0xC2), U+061C (0xD8) and the other bidi controls (0xE2).
/// Chinese text and ASCII letters pass on one table look a byte.
pub(super) static MAY_NEED_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[0x7F] = true;
    t[0xC2] = true;
    t[0xD8] = true;
    t[0xE2] = true;
    t
};

/// Whether `b` is one [`MAY_NEED_ESCAPE`] marks.
#[inline(always)]
pub(super) fn marked(b: u8) -> bool {
    MAY_NEED_ESCAPE[b as usize]
}
