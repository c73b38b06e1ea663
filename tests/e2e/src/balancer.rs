//! HAProxy in front of several server copies: Debian's package (installed on first use
//! by `tests/setup/haproxy.sh`), a configuration written by the test (round robin,
//! health check on `/readyz`, retries and redispatch to another copy), listening on a
//! spare loopback port; stopped when dropped.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Balancer {
    child: Child,
    port: u16,
}

/// A port that was free a moment ago.
pub fn spare_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

impl Balancer {
    /// Starts haproxy in front of the servers on `ports`; its files live in `dir`.
    pub fn start(dir: &Path, ports: &[u16]) -> Balancer {
        let setup = Path::new(env!("CARGO_MANIFEST_DIR")).join("../setup/haproxy.sh");
        let out = Command::new("bash").arg(setup).stderr(Stdio::inherit()).output().expect("run tests/setup/haproxy.sh");
        assert!(out.status.success(), "tests/setup/haproxy.sh failed");
        let bin = String::from_utf8(out.stdout).expect("path").trim().to_owned();
        let port = spare_port();
        let servers: String = ports
            .iter()
            .enumerate()
            .map(|(i, p)| format!("    server copy{i} 127.0.0.1:{p} check\n"))
            .collect();
        let config = format!(
            "global\n    maxconn 2000\n\
             defaults\n    mode http\n    timeout connect 1s\n    timeout client 60s\n    timeout server 30s\n    \
             retries 5\n    option redispatch 1\n    retry-on conn-failure empty-response response-timeout\n\
             frontend front\n    bind 127.0.0.1:{port}\n    default_backend copies\n\
             backend copies\n    balance roundrobin\n    option httpchk GET /readyz\n    http-check expect status 200\n    \
             default-server inter 250ms fall 1 rise 2\n{servers}"
        );
        let cfg = dir.join("haproxy.cfg");
        std::fs::create_dir_all(dir).expect("folder");
        std::fs::write(&cfg, config).expect("haproxy.cfg");
        let child = Command::new(bin)
            .arg("-db")
            .arg("-f")
            .arg(&cfg)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(dir.join("haproxy.out")).expect("out"))
            .stderr(std::fs::File::create(dir.join("haproxy.log")).expect("log"))
            .spawn()
            .expect("start haproxy");
        let b = Balancer { child, port };
        let client = crate::staff::http_client();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !client.get(format!("{}/readyz", b.url())).send().is_ok_and(|r| r.status().is_success()) {
            assert!(Instant::now() < deadline, "haproxy did not answer; see {}", dir.display());
            std::thread::sleep(Duration::from_millis(50));
        }
        b
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
