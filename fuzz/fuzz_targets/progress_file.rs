#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rectify::fuzzing::progress_file(data));
