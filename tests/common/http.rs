//! A tiny HTTP registry on loopback for tests that need one to misbehave
//! (answer slowly, or with a hostile body); tests/common/real.rs has the real
//! docker-registry.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A one-purpose HTTP registry on loopback: every plain-HTTP request gets
/// `reply(request)` once `ready()` is true (polled); TLS hellos are
/// dropped, so dockercfg falls back to http as for any loopback registry.
/// Each request's first line is sent on the returned channel as it arrives.
pub fn registry<R, F>(ready: R, reply: F) -> (String, mpsc::Receiver<String>)
where
    R: Fn() -> bool + Send + 'static,
    F: Fn(&str) -> String + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut buf = [0u8; 8192];
            let n = conn.read(&mut buf).unwrap_or(0);
            if n == 0 || buf[0] == 0x16 {
                continue; // a TLS ClientHello: no https here
            }
            let req = String::from_utf8_lossy(&buf[..n]).into_owned();
            let _ = tx.send(req.lines().next().unwrap_or("").to_string());
            let deadline = Instant::now() + Duration::from_secs(20);
            while !ready() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = conn.write_all(reply(&req).as_bytes());
        }
    });
    (host, rx)
}

pub fn http(status: &str, headers: &[&str], body: &str) -> String {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!(
        "Docker-Distribution-API-Version: registry/2.0\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    out
}
