//! Promises of SECURITY.md that are about what kb is built from rather than what it does.

/// kb never opens a network connection: no crate that could is in its dependency tree.
#[test]
fn no_networking_crate_is_a_dependency() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock")).unwrap();
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert!(names.contains(&"kb-cli"), "not kb's lock file");
    for crate_name in [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "surf",
        "attohttpc",
        "tokio",
        "async-std",
        "socket2",
        "openssl",
        "native-tls",
        "rustls",
    ] {
        assert!(
            !names.contains(&crate_name),
            "`{crate_name}` can open connections"
        );
    }
    // `kb check --watch` reads file events through notify, which polls them with mio: allowed
    // only without mio's `net` feature (its sockets).
    if names.contains(&"mio") {
        let tree = |targets: &[&str]| {
            std::process::Command::new(env!("CARGO"))
                .args(["tree", "--locked", "--offline", "-e", "features", "-i", "mio"])
                .args(targets)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .unwrap()
        };
        // Every platform's dependencies when they are downloaded (`cargo fetch`, as CI does);
        // else this platform's, which building this test downloaded.
        let all = tree(&["--target", "all"]);
        let output = if all.status.success() { all } else { tree(&[]) };
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let tree = String::from_utf8_lossy(&output.stdout);
        assert!(tree.starts_with("mio v"), "{tree}");
        assert!(!tree.contains("mio feature \"net\""), "mio with sockets:\n{tree}");
    }
}
