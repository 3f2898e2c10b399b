//! A Docker token server for tests: the `realm` a registry with bearer-token
//! auth sends clients to. It checks a login (HTTP basic), grants the asked
//! repository actions to that login and nothing to anonymous callers, and
//! answers with an ES256 JSON web token whose certificate (`x5c`) the
//! registry trusts (`rootcertbundle`). It records every request it answers.

use std::{
    io::{BufRead as _, BufReader, Write as _},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use base64::{
    Engine as _,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use ring::{
    rand::SystemRandom,
    signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair},
};

/// The `service` the registry names in its challenge and expects as audience.
pub const SERVICE: &str = "test-registry";
/// The issuer the registry trusts.
pub const ISSUER: &str = "test-token-issuer";
/// How long the tokens it issues last, in seconds.
pub const TOKEN_SECONDS: u64 = 300;

/// One request the token server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRequest {
    /// The login presented; empty for an anonymous request.
    pub account: String,
    /// The `scope` parameters, e.g. `repository:team/app:pull`.
    pub scopes: Vec<String>,
    /// False when the login was refused (401).
    pub granted: bool,
}

/// A running token server; stopped when dropped.
pub struct TokenServer {
    /// `http://127.0.0.1:<port>/token`.
    pub realm: String,
    /// The PEM certificate whose key signs the tokens.
    pub certificate: PathBuf,
    requests: Arc<Mutex<Vec<TokenRequest>>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl Drop for TokenServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

struct Signer {
    key: EcdsaKeyPair,
    certificate_der: Vec<u8>,
    rng: SystemRandom,
}

impl TokenServer {
    /// Starts a token server that accepts `user` with `password`; its key and
    /// certificate are written under `dir`.
    pub fn start(dir: &Path, user: &str, password: &str) -> TokenServer {
        let (certificate, signer) = make_signer(dir);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let login = format!("{user}:{password}");
        {
            let requests = requests.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        answer(stream, &signer, &login, &requests);
                    }
                }
            });
        }
        TokenServer {
            realm: format!("http://127.0.0.1:{port}/token"),
            certificate,
            requests,
            stop,
            port,
        }
    }

    /// Every request answered so far, oldest first.
    pub fn requests(&self) -> Vec<TokenRequest> {
        self.requests.lock().expect("requests lock").clone()
    }
}

/// Reads one `GET /token?...` request and answers it, then closes.
fn answer(
    mut stream: TcpStream,
    signer: &Signer,
    login: &str,
    requests: &Mutex<Vec<TokenRequest>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut authorization = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("authorization")
        {
            authorization = Some(value.trim().to_owned());
        }
    }
    let target = request_line.split(' ').nth(1).unwrap_or("");
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
    let scopes: Vec<String> = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(name, _)| *name == "scope")
        .flat_map(|(_, value)| {
            percent_decode(value)
                .split(' ')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let presented = authorization
        .as_deref()
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| STANDARD.decode(encoded).ok())
        .and_then(|decoded| String::from_utf8(decoded).ok());
    let account = presented
        .as_deref()
        .map(|login| login.split(':').next().unwrap_or("").to_owned())
        .unwrap_or_default();
    let granted = presented.as_deref().is_none_or(|given| given == login);
    requests.lock().expect("requests lock").push(TokenRequest {
        account: account.clone(),
        scopes: scopes.clone(),
        granted,
    });
    let (status, body) = if granted {
        let token = signer.token(&account, &scopes);
        (
            "200 OK",
            serde_json::json!({
                "token": token,
                "access_token": token,
                "expires_in": TOKEN_SECONDS,
            })
            .to_string(),
        )
    } else {
        (
            "401 Unauthorized",
            r#"{"errors":[{"code":"UNAUTHORIZED","message":"incorrect username or password"}]}"#
                .to_owned(),
        )
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

impl Signer {
    /// A token granting each `repository:<name>:<actions>` scope to a login,
    /// and nothing to an anonymous caller.
    fn token(&self, account: &str, scopes: &[String]) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let access: Vec<serde_json::Value> = scopes
            .iter()
            .filter_map(|scope| {
                let mut parts = scope.splitn(3, ':');
                let (kind, name, actions) = (parts.next()?, parts.next()?, parts.next()?);
                let actions: Vec<&str> = if account.is_empty() {
                    Vec::new()
                } else {
                    actions.split(',').collect()
                };
                Some(serde_json::json!({"type": kind, "name": name, "actions": actions}))
            })
            .collect();
        let header = serde_json::json!({
            "typ": "JWT",
            "alg": "ES256",
            "x5c": [STANDARD.encode(&self.certificate_der)],
        });
        let claims = serde_json::json!({
            "iss": ISSUER,
            "sub": account,
            "aud": SERVICE,
            "exp": now + TOKEN_SECONDS,
            "nbf": now - 10,
            "iat": now,
            "jti": format!("{now}-{}", scopes.join(" ")),
            "access": access,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self
            .key
            .sign(&self.rng, signing_input.as_bytes())
            .expect("ES256 signs");
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        )
    }
}

/// A P-256 key and a self-signed certificate for it, made with `openssl`.
fn make_signer(dir: &Path) -> (PathBuf, Signer) {
    let openssl = |args: &[&str]| super::run_openssl(dir, args);
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "token.key",
        "-out",
        "token.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Test token signer",
    ]);
    openssl(&[
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        "token.key",
        "-outform",
        "DER",
        "-out",
        "token.p8",
    ]);
    openssl(&[
        "x509",
        "-in",
        "token.pem",
        "-outform",
        "DER",
        "-out",
        "token.der",
    ]);
    let rng = SystemRandom::new();
    let pkcs8 = std::fs::read(dir.join("token.p8")).unwrap();
    let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng)
        .expect("openssl wrote a PKCS#8 P-256 key");
    let certificate_der = std::fs::read(dir.join("token.der")).unwrap();
    (
        dir.join("token.pem"),
        Signer {
            key,
            certificate_der,
            rng,
        },
    )
}

/// Decodes `%XX` escapes and `+` of a query value.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
