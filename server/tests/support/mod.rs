//! Running the server binary in tests: start it on a free port against a
//! database, wait until it is ready, talk to it, signal it.

#![allow(dead_code, reason = "each test binary uses a different part")]

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub const BINARY: &str = env!("CARGO_BIN_EXE_image-stream-console");

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running server process, killed if a test fails half-way.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

pub fn start(database_url: &str, data_dir: &Path) -> Server {
    start_with(database_url, data_dir, &[])
}

/// The token test servers accept as their first admin's.
pub const TOKEN: &str = engine::store::testing::ADMIN_TOKEN;

/// A client that sends [`TOKEN`] with every request.
pub fn client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {TOKEN}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

pub fn start_with(database_url: &str, data_dir: &Path, extra: &[&str]) -> Server {
    spawn(database_url, data_dir, extra, "warn", None)
}

/// A server logging everything (`debug`, JSON) into `log`.
pub fn start_logging(database_url: &str, data_dir: &Path, extra: &[&str], log: &Path) -> Server {
    let args: Vec<&str> = ["--log-format", "json"]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
    spawn(database_url, data_dir, &args, "debug", Some(log))
}

fn spawn(
    database_url: &str,
    data_dir: &Path,
    extra: &[&str],
    log_level: &str,
    log: Option<&Path>,
) -> Server {
    let port = free_port();
    std::fs::create_dir_all(data_dir).unwrap();
    let token_file = data_dir.join("test-api-token");
    std::fs::write(&token_file, TOKEN).unwrap();
    // A secrets key, as operators give one, unless the test brings its own.
    let key_file = data_dir.join("test-secrets-key");
    std::fs::write(&key_file, "7e".repeat(32)).unwrap();
    let default_key = ["--secrets-key-file", key_file.to_str().unwrap()];
    let own_key = extra.contains(&"--secrets-key-file");
    let child = Command::new(BINARY)
        // No shipped samples unless a test asks for them (their imports
        // would reach for public registries).
        .env("ISC_SAMPLES_MANAGEMENT_STATE", "Removed")
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
            data_dir.to_str().unwrap(),
        ])
        .args(["--database-url", database_url, "--log-level", log_level])
        .args(["--api-token-file", token_file.to_str().unwrap()])
        .args(if own_key { &[][..] } else { &default_key[..] })
        .args(extra)
        .stdout(match log {
            Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
            None => Stdio::null(),
        })
        .stderr(match log {
            Some(path) => Stdio::from(std::fs::OpenOptions::new().append(true).open(path).unwrap()),
            None => Stdio::inherit(),
        })
        .spawn()
        .unwrap();
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    let tls = extra.contains(&"--tls-cert-file");
    while Instant::now() < deadline {
        let ready = if tls {
            Command::new("curl")
                .args(["-skf", &format!("https://127.0.0.1:{port}/readyz")])
                .output()
                .is_ok_and(|output| output.status.success())
        } else {
            http(
                port,
                "GET /readyz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            )
            .is_ok_and(|response| response.starts_with("HTTP/1.1 200"))
        };
        if ready {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not become ready");
}

pub fn http(port: u16, request: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

pub fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Creates the project `team` through the API.
pub async fn create_team_project(client: &reqwest::Client, base: &str) {
    let created = client
        .post(format!(
            "{base}/apis/project.openshift.io/v1/projectrequests"
        ))
        .json(&serde_json::json!({"metadata": {"name": "team"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}

/// A browser session: its cookie and CSRF token.
pub struct BrowserSession {
    pub cookie: String,
    pub csrf: String,
}

impl BrowserSession {
    /// A POST to the console's server function `endpoint` in this session.
    pub fn call(
        &self,
        browser: &reqwest::Client,
        base: &str,
        endpoint: &str,
        body: &serde_json::Value,
    ) -> reqwest::RequestBuilder {
        browser
            .post(format!("{base}/api/console/{endpoint}"))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .header("accept", "application/json")
            .json(body)
    }
}

/// Signs in through the sign-in form as a browser does, with `browser` (a
/// client that does not follow redirects); `None` if refused.
pub async fn sign_in_over_http(
    browser: &reqwest::Client,
    base: &str,
    user: &str,
    password: &str,
) -> Option<BrowserSession> {
    let answer = browser
        .post(format!("{base}/auth/sign-in"))
        .header("accept", "text/html")
        .form(&[("user", user), ("password", password), ("next", "/")])
        .send()
        .await
        .unwrap();
    let cookie = answer.headers().get("set-cookie")?.to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let me: serde_json::Value = browser
        .post(format!("{base}/api/console/current_user"))
        .header("cookie", &cookie)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Some(BrowserSession {
        cookie,
        csrf: me["csrf_token"].as_str().unwrap().to_owned(),
    })
}
