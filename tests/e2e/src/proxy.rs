//! A TCP proxy on 127.0.0.1 between phones and the server. Normally it forwards both
//! ways; with `drop_answers` on, it forwards the request, waits for the first bytes of
//! the server's answer — the server answers a sync only after its commit — and then
//! closes the phone's connection without passing them on: the server committed, the
//! phone never heard. With a [`Hold`] it stalls instead: it keeps the phone's requests
//! (nothing reaches the server), or forwards them and keeps the answers, leaving the
//! connection open and silent until the phone gives up.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;

/// How the proxy stalls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Hold {
    /// Forward both ways.
    Nothing = 0,
    /// Keep what the phone sends: the server never sees the request.
    Requests = 1,
    /// Forward the request (the server commits), keep the answer.
    Answers = 2,
}

/// The running proxy; it stops when dropped.
pub struct Proxy {
    pub port: u16,
    drop_answers: Arc<AtomicBool>,
    dropped: Arc<AtomicUsize>,
    hold: Arc<AtomicU8>,
    held: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

/// What one connection's threads share.
#[derive(Clone)]
struct Knobs {
    drop_answers: Arc<AtomicBool>,
    dropped: Arc<AtomicUsize>,
    hold: Arc<AtomicU8>,
    held: Arc<AtomicUsize>,
}

impl Knobs {
    fn holding(&self, what: Hold) -> bool {
        self.hold.load(Ordering::SeqCst) == what as u8
    }
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let proxy = Proxy {
            port,
            drop_answers: Arc::new(AtomicBool::new(false)),
            dropped: Arc::new(AtomicUsize::new(0)),
            hold: Arc::new(AtomicU8::new(Hold::Nothing as u8)),
            held: Arc::new(AtomicUsize::new(0)),
            stop: Arc::new(AtomicBool::new(false)),
        };
        let knobs = Knobs {
            drop_answers: proxy.drop_answers.clone(),
            dropped: proxy.dropped.clone(),
            hold: proxy.hold.clone(),
            held: proxy.held.clone(),
        };
        let stop = proxy.stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let knobs = knobs.clone();
                        std::thread::spawn(move || serve(client, upstream, &knobs));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        proxy
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Swallow every answer from now on (or stop doing so).
    pub fn set_drop_answers(&self, on: bool) {
        self.drop_answers.store(on, Ordering::SeqCst);
    }

    /// How many answers were swallowed.
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }

    /// Stall from now on as `hold` says (`Hold::Nothing` forwards again).
    pub fn set_hold(&self, hold: Hold) {
        self.hold.store(hold as u8, Ordering::SeqCst);
    }

    /// How many requests or answers were held.
    pub fn held(&self) -> usize {
        self.held.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve(client: TcpStream, upstream: SocketAddr, knobs: &Knobs) {
    let _ = client.set_nonblocking(false);
    if knobs.holding(Hold::Requests) {
        // Accept, read, never connect or answer: a server that stalls.
        knobs.held.fetch_add(1, Ordering::SeqCst);
        let _ = std::io::copy(&mut &client, &mut std::io::sink());
        return;
    }
    let Ok(server) = TcpStream::connect_timeout(&upstream, Duration::from_secs(5)) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let (Ok(mut client_in), Ok(mut server_out)) = (client.try_clone(), server.try_clone()) else { return };
    // Phone → server, as is, unless requests are being held (a kept-alive connection).
    let up = knobs.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        let mut counted = false;
        loop {
            let n = match client_in.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if up.holding(Hold::Requests) {
                if !counted {
                    up.held.fetch_add(1, Ordering::SeqCst);
                    counted = true;
                }
                continue;
            }
            if server_out.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = server_out.shutdown(Shutdown::Write);
    });
    // Server → phone, unless answers are being swallowed or held.
    let (mut server_in, mut client_out) = (server, client);
    let mut buf = [0u8; 16 * 1024];
    let mut holding = false;
    loop {
        let n = match server_in.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if holding {
            continue;
        }
        if knobs.holding(Hold::Answers) {
            // Keep the connection open and silent; the phone's time limit ends it.
            knobs.held.fetch_add(1, Ordering::SeqCst);
            holding = true;
            continue;
        }
        if knobs.drop_answers.load(Ordering::SeqCst) {
            knobs.dropped.fetch_add(1, Ordering::SeqCst);
            break;
        }
        if client_out.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = client_out.shutdown(Shutdown::Both);
    let _ = server_in.shutdown(Shutdown::Both);
}
