//! Test support (feature `testing`): a real registry for tests: Debian's `docker-registry` on 127.0.0.1 with
//! a throwaway storage directory, and images pushed into it with `skopeo`
//! from OCI layouts written here.

mod token_server;

pub use token_server::{TokenRequest, TokenServer};

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use sha2::{Digest as _, Sha256};

/// A running registry; stopped when dropped.
pub struct TestRegistry {
    pub host: String,
    /// `user:password` the registry requires (htpasswd), if any.
    login: Option<String>,
    /// The CA (PEM) that signed the registry's certificate, when it speaks TLS.
    pub ca_pem: Option<String>,
    /// The token server of a registry with bearer-token auth.
    token_server: Option<TokenServer>,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for TestRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl TestRegistry {
    /// A plain-HTTP registry without authentication.
    pub fn start_plain() -> TestRegistry {
        TestRegistry::start(Login::None, false)
    }

    /// A registry serving HTTPS with a certificate for 127.0.0.1 signed by
    /// a CA made for it (`ca_pem`), which nothing trusts by default.
    pub fn start_tls() -> TestRegistry {
        TestRegistry::start(Login::None, true)
    }

    /// A plain-HTTP registry that requires `user` and `password` (HTTP
    /// basic authentication against an htpasswd file).
    pub fn start_with_login(user: &str, password: &str) -> TestRegistry {
        TestRegistry::start(Login::Htpasswd(user, password), false)
    }

    /// A plain-HTTP registry with bearer-token auth: its challenge sends
    /// clients to a [`TokenServer`] that grants `user` with `password` what
    /// they ask and anonymous callers nothing.
    pub fn start_with_token_server(user: &str, password: &str) -> TestRegistry {
        TestRegistry::start(Login::TokenServer(user, password), false)
    }

    /// The requests its token server answered (empty without one).
    pub fn token_requests(&self) -> Vec<TokenRequest> {
        self.token_server
            .as_ref()
            .map(TokenServer::requests)
            .unwrap_or_default()
    }

    fn start(login: Login, tls: bool) -> TestRegistry {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let config = dir.path().join("config.yml");
        let mut token_server = None;
        let auth = match login {
            Login::None => String::new(),
            Login::Htpasswd(user, password) => {
                let htpasswd = dir.path().join("htpasswd");
                let hash = bcrypt::hash(password, 5).unwrap();
                std::fs::write(&htpasswd, format!("{user}:{hash}\n")).unwrap();
                format!(
                    "auth:\n  htpasswd:\n    realm: test-registry\n    path: {}\n",
                    htpasswd.display()
                )
            }
            Login::TokenServer(user, password) => {
                let server = TokenServer::start(dir.path(), user, password);
                let auth = format!(
                    "auth:\n  token:\n    realm: {}\n    service: {}\n    issuer: {}\n    rootcertbundle: {}\n",
                    server.realm,
                    token_server::SERVICE,
                    token_server::ISSUER,
                    server.certificate.display()
                );
                token_server = Some(server);
                auth
            }
        };
        let (tls_config, ca_pem) = if tls {
            let (certificate, key, ca) = make_certificates(dir.path());
            (
                format!(
                    "  tls:\n    certificate: {}\n    key: {}\n",
                    certificate.display(),
                    key.display()
                ),
                Some(ca),
            )
        } else {
            (String::new(), None)
        };
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  cache:\n    blobdescriptor: inmemory\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n{auth}http:\n  addr: 127.0.0.1:{port}\n{tls_config}",
                dir.path().join("data").display()
            ),
        )
        .unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("docker-registry runs (apt install docker-registry)");
        let host = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(&host).is_err() {
            assert!(Instant::now() < deadline, "the registry did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        TestRegistry {
            host,
            login: login.user_and_password(),
            ca_pem,
            token_server,
            child,
            _dir: dir,
        }
    }

    /// Pushes `layout` (an OCI layout holding `tag`) to `repo:tag` with skopeo.
    pub fn push(&self, layout: &Path, tag: &str, repo: &str) {
        let output = Command::new("skopeo")
            .args([
                "copy",
                "--all",
                "--preserve-digests",
                "--dest-tls-verify=false",
                "--quiet",
            ])
            .args(self.login.iter().flat_map(|login| ["--dest-creds", login]))
            .arg(format!("oci:{}:{tag}", layout.display()))
            .arg(format!("docker://{}/{repo}:{tag}", self.host))
            .output()
            .expect("skopeo runs (apt install skopeo)");
        assert!(
            output.status.success(),
            "skopeo copy failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// How a test registry asks clients to log in.
#[derive(Clone, Copy)]
enum Login<'a> {
    None,
    Htpasswd(&'a str, &'a str),
    TokenServer(&'a str, &'a str),
}

impl Login<'_> {
    /// `user:password` for skopeo's `--dest-creds`.
    fn user_and_password(self) -> Option<String> {
        match self {
            Login::None => None,
            Login::Htpasswd(user, password) | Login::TokenServer(user, password) => {
                Some(format!("{user}:{password}"))
            }
        }
    }
}

/// Runs the `openssl` command in `dir`; a failure fails the test with its
/// error output.
fn run_openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs (apt install openssl)");
    assert!(
        output.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A CA and a server certificate for 127.0.0.1 it signed, made with the
/// `openssl` command: `(certificate file, key file, CA PEM)`.
pub fn make_certificates(dir: &Path) -> (PathBuf, PathBuf, String) {
    let openssl = |args: &[&str]| run_openssl(dir, args);
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=Test registry CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        ]
        .concat(),
    );
    openssl(
        &[
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
        ]
        .concat(),
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
    let ca = std::fs::read_to_string(dir.join("ca.pem")).unwrap();
    (dir.join("server.pem"), dir.join("server.key"), ca)
}

/// An OCI layout on disk, built blob by blob.
pub struct Layout {
    pub dir: tempfile::TempDir,
    index: Vec<serde_json::Value>,
}

pub fn digest_of(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

impl Default for Layout {
    fn default() -> Self {
        Layout::new()
    }
}

impl Layout {
    pub fn new() -> Layout {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("blobs/sha256")).unwrap();
        std::fs::write(
            dir.path().join("oci-layout"),
            r#"{"imageLayoutVersion":"1.0.0"}"#,
        )
        .unwrap();
        Layout {
            dir,
            index: Vec::new(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().to_owned()
    }

    /// Stores a blob and returns its descriptor.
    pub fn blob(&self, media_type: &str, bytes: &[u8]) -> serde_json::Value {
        let digest = digest_of(bytes);
        std::fs::write(
            self.dir
                .path()
                .join("blobs/sha256")
                .join(digest.trim_start_matches("sha256:")),
            bytes,
        )
        .unwrap();
        serde_json::json!({"mediaType": media_type, "digest": digest, "size": bytes.len()})
    }

    /// Stores a one-layer image for `os/arch` and returns its manifest's descriptor.
    pub fn image(&self, os: &str, arch: &str, env: &str) -> serde_json::Value {
        let layer = self.blob(
            "application/vnd.oci.image.layer.v1.tar",
            format!("layer of {os}/{arch} {env}").as_bytes(),
        );
        let config = serde_json::json!({
            "created": "2026-01-02T03:04:05Z",
            "architecture": arch,
            "os": os,
            "config": {
                "Env": [env],
                "Cmd": ["/usr/bin/run"],
                "Entrypoint": ["/entry"],
                "ExposedPorts": {"8080/tcp": {}},
                "Labels": {"io.k8s.display-name": "Test app"},
                "User": "1001",
                "WorkingDir": "/app"
            },
            "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}
        });
        let config = self.blob(
            "application/vnd.oci.image.config.v1+json",
            config.to_string().as_bytes(),
        );
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": config,
            "layers": [layer]
        });
        let mut descriptor = self.blob(
            "application/vnd.oci.image.manifest.v1+json",
            manifest.to_string().as_bytes(),
        );
        descriptor["platform"] = serde_json::json!({"os": os, "architecture": arch});
        descriptor
    }

    /// Stores an index of `manifests` and returns its descriptor.
    pub fn index_of(&self, manifests: Vec<serde_json::Value>) -> serde_json::Value {
        let index = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": manifests
        });
        self.blob(
            "application/vnd.oci.image.index.v1+json",
            index.to_string().as_bytes(),
        )
    }

    /// Names `descriptor` `tag` in the layout's `index.json`.
    pub fn tag(&mut self, tag: &str, descriptor: serde_json::Value) {
        let mut entry = descriptor;
        if let Some(object) = entry.as_object_mut() {
            object.remove("platform");
        }
        entry["annotations"] = serde_json::json!({"org.opencontainers.image.ref.name": tag});
        self.index.push(entry);
        let index = serde_json::json!({"schemaVersion": 2, "manifests": self.index});
        std::fs::write(self.dir.path().join("index.json"), index.to_string()).unwrap();
    }
}
