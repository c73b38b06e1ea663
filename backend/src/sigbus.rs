//! The last word of a server whose SQLite shared-memory file failed under it.
//!
//! SQLite maps the database's `-shm` file into memory. When the kernel can no longer
//! back that mapping (the file made immutable, truncated or removed by someone else,
//! its disk gone), the next read or write of it is a SIGBUS, which by default ends the
//! process without a single line. Start-up already refuses a `-shm` it cannot write;
//! this handler covers the same failure while serving: it writes one line saying what
//! happened to standard error and exits with status 74 (`EX_IOERR`), so a supervisor's
//! restart meets the start-up check, which names the file.
//!
//! Nothing is lost by stopping here: a report is acknowledged only after its
//! transaction committed, and SQLite's write-ahead log makes an interrupted one vanish
//! whole. The handler only uses what is safe inside a signal handler (`write`, `_exit`).

/// Exit status after a SIGBUS (`EX_IOERR` of `sysexits.h`).
pub const EXIT_STATUS: i32 = 74;

/// The line written to standard error; no path, no data, nothing of a person.
pub const MESSAGE: &str = "ERROR mimamori-backend: a memory-mapped file could no longer be read or written (SIGBUS), most likely the SQLite database's -shm file; stopping. Check that the database folder and its -wal and -shm files are writable and the disk is not full, then start the server again.\n";

#[allow(unsafe_code)]
extern "C" fn on_sigbus(_signal: libc::c_int) {
    // SAFETY: write(2) and _exit(2) are async-signal-safe; MESSAGE is a static string.
    unsafe {
        libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
        libc::_exit(EXIT_STATUS);
    }
}

/// Installs the handler for the whole process (idempotent). Returns an error text when
/// the system refuses it.
#[allow(unsafe_code)]
pub fn install() -> Result<(), String> {
    // SAFETY: a zeroed sigaction is valid; the handler above is async-signal-safe and
    // never returns, so the faulting instruction is not run again.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        if libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut()) != 0 {
            return Err(format!("installing the SIGBUS handler: {}", std::io::Error::last_os_error()));
        }
    }
    Ok(())
}
