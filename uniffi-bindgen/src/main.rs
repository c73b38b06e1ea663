//! The UniFFI binding generator, built from the workspace so its version always
//! equals the `uniffi` the phone core is compiled with.
//!
//! Usage: `target/debug/uniffi-bindgen generate --library <lib.so> --language kotlin --out-dir <dir>`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
