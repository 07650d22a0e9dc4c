#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rectify::fuzzing::editor_session(data));
