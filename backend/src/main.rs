//! Mimamori server entry point. For now it only prints the question set it will
//! serve; the HTTP server is built on top of the shared `protocol` rules.

fn main() {
    for q in protocol::QUESTIONS {
        println!("{} {}", q.id.as_str(), q.text.ja);
    }
}
