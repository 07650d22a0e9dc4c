//! Hints that memory is about to be read, for the few loops over a large ledger that read
//! it in another order than it was allocated in (the summary walks the checklist, the notes
//! lie in the order of the progress file): asked for ahead, the reads no longer wait on
//! memory one after the other. A hint changes nothing that any code reads.

/// Asks for the cache line holding `p`.
#[inline(always)]
#[allow(unsafe_code)] // _mm_prefetch: a hint that cannot fault.
pub fn line<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing into the program and cannot fault, whatever the
    // address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Asks for each cache line of `items`, up to `max_lines` of them.
#[inline]
pub fn slice<T>(items: &[T], max_lines: usize) {
    let bytes = std::mem::size_of_val(items);
    let start = items.as_ptr().cast::<u8>();
    for offset in (0..bytes).step_by(64).take(max_lines) {
        line(start.wrapping_add(offset));
    }
}
