//! `cargo xtask bench --app`: the release desktop app against KeePassXC, started alternately
//! under Xvfb in a private D-Bus session with a real Secret Service. It prints the medians and
//! ratios of what a user notices: time to a mapped window (the first start with the page cache
//! dropped, the rest warm), idle memory (PSS of every process the app starts), idle CPU and
//! wake-ups, and the sizes of what they download. Beside them, WebKitGTK's MiniBrowser with an
//! empty page shows the floor: what the engine costs before our page adds anything. With
//! `--switching`, the web process's memory through minutes of area switches by key presses,
//! beside MiniBrowser churning a similar form (tests/bench/churn.html): what our page keeps,
//! against what the engine keeps of the same churn. A benchmark: figures are printed, never
//! asserted.

use super::{package, root, run, setup, Result, Sandbox, XVFB_SERVER_ARGS};
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const APP_TITLE: &str = "PyPI Recovery Assistant";
const KEEPASSXC_TITLE: &str = "KeePassXC";
/// WebKitGTK's own minimal browser, shipped with the library: with an empty page it is the
/// least any WebKitGTK app can weigh, the floor under our figures.
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const MINIBROWSER_TITLE: &str = "WebKitGTK MiniBrowser";
/// The argument the outer run passes to the copy of xtask it starts inside Xvfb and D-Bus.
pub const INSIDE: &str = "--inside-session";
/// How long after the window maps the memory is read: what a user sees once it has settled.
const SETTLE: Duration = Duration::from_secs(5);
/// Starts with the page cache dropped, per subject.
const COLD_ROUNDS: usize = 3;

struct Options {
    rounds: usize,
    cpu_seconds: u64,
    soak_minutes: Option<u64>,
    switching_minutes: Option<u64>,
    /// Measure what is already in target/release, e.g. to compare environment settings.
    no_build: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self> {
        let mut options = Self {
            rounds: 5,
            cpu_seconds: 60,
            soak_minutes: None,
            switching_minutes: None,
            no_build: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| -> Result<u64> {
                args.next()
                    .and_then(|value| value.parse().ok())
                    .ok_or_else(|| format!("{name} needs a whole number"))
            };
            match arg.as_str() {
                "--app" | INSIDE => {}
                "--rounds" => options.rounds = number("--rounds")?.max(1) as usize,
                "--cpu-seconds" => options.cpu_seconds = number("--cpu-seconds")?.max(1),
                "--soak" => options.soak_minutes = Some(10),
                "--no-build" => options.no_build = true,
                "--soak-minutes" => options.soak_minutes = Some(number("--soak-minutes")?),
                "--switching" => options.switching_minutes = Some(5),
                "--switching-minutes" => {
                    options.switching_minutes = Some(number("--switching-minutes")?.max(2));
                }
                other => return Err(format!("bench --app: unknown option {other}")),
            }
        }
        Ok(options)
    }
}

/// Builds the release app, its packages and the CLI, prints their sizes, then measures inside
/// a virtual display.
pub fn command(args: &[String]) -> Result {
    let options = Options::parse(args)?; // fail before building on a mistyped option
    setup::all(setup::Purpose::Test)?;
    if !options.no_build {
        print_sizes(&package::build(package::Profile::Release)?)?;
    }

    let sandbox = Sandbox::new("bench")?;
    let xtask = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut inner: Vec<&OsStr> = ["-a", "-s", XVFB_SERVER_ARGS].map(OsStr::new).to_vec();
    inner.push(xtask.as_os_str());
    inner.push(OsStr::new("bench"));
    inner.push(OsStr::new(INSIDE));
    inner.extend(args.iter().map(OsStr::new));
    run(&mut sandbox.command(OsStr::new("xvfb-run"), &inner))
}

fn print_sizes(packages: &package::Packages) -> Result {
    let mb = |path: &Path| -> Result<f64> {
        std::fs::metadata(path)
            .map(|m| m.len() as f64 / 1_000_000.0)
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    eprintln!("\nsizes (target: app ≤ 12 MB, CLI ≤ 8 MB, .deb ≤ 5 MiB)");
    eprintln!("  desktop app binary   {:6.2} MB", mb(&packages.app)?);
    eprintln!("  CLI binary           {:6.2} MB", mb(&packages.cli)?);
    eprintln!(
        "  .deb                 {:6.2} MiB",
        mb(&packages.deb)? / 1.048576
    );
    eprintln!(
        "  .rpm                 {:6.2} MiB",
        mb(&packages.rpm)? / 1.048576
    );
    Ok(())
}

/// One app under measurement: how to start it and the title of its main window.
struct Subject {
    name: &'static str,
    title: &'static str,
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
}

impl Subject {
    /// Its output goes to a log beside the sandbox's HOME, quoted when it fails to start.
    fn log(&self) -> PathBuf {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default();
        home.join(format!("{}.log", self.title))
    }

    fn start(&self) -> Result<Child> {
        let log = std::fs::File::create(self.log()).map_err(|e| e.to_string())?;
        Command::new(&self.program)
            .args(&self.args)
            .envs(self.env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", self.program.display()))
    }
}

/// What one start measured.
struct Start {
    to_window: Duration,
    /// PSS in kB per process name, summed over every process of the app.
    pss_kb: BTreeMap<String, u64>,
}

/// The part that runs inside Xvfb and the sandbox's D-Bus session.
pub fn inside(args: &[String]) -> Result {
    let options = Options::parse(args)?;
    let app = Subject {
        name: "this app",
        title: APP_TITLE,
        program: root().join("target/release/pypi-recovery-desktop"),
        args: vec![],
        env: vec![],
    };
    let keepassxc = Subject {
        name: "KeePassXC",
        title: KEEPASSXC_TITLE,
        program: PathBuf::from("keepassxc"),
        args: vec![],
        env: vec![],
    };
    // With the settings src-tauri/src/webview.rs gives our web view, as far as the environment
    // reaches them: no GPU compositing, no DMA-BUF, no JIT.
    let floor = Subject {
        name: "WebKitGTK floor",
        title: MINIBROWSER_TITLE,
        program: PathBuf::from(MINIBROWSER),
        args: vec!["about:blank".into()],
        env: vec![
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
            ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
            ("JSC_useJIT", "0"),
        ],
    };
    let subjects = [&app, &keepassxc, &floor];

    // Starts with the page cache dropped (one start is too noisy to compare), then warm
    // rounds, alternating.
    let mut cold = subjects.map(|_| Vec::new());
    for round in 0..COLD_ROUNDS {
        eprintln!("cold round {}/{COLD_ROUNDS}", round + 1);
        for (i, subject) in subjects.iter().enumerate() {
            drop_page_cache()?;
            cold[i].push(measure_start(subject)?);
        }
    }
    let mut warm = subjects.map(|_| Vec::new());
    for round in 0..options.rounds {
        eprintln!("round {}/{}", round + 1, options.rounds);
        for (i, subject) in subjects.iter().enumerate() {
            warm[i].push(measure_start(subject)?);
        }
    }

    let seconds = |starts: &[Start]| median(starts.iter().map(|s| s.to_window.as_secs_f64()));
    let total_mb = |starts: &[Start]| {
        median(
            starts
                .iter()
                .map(|s| s.pss_kb.values().sum::<u64>() as f64 / 1024.0),
        )
    };
    println!(
        "\n{COLD_ROUNDS} cold and {} warm rounds, medians; idle PSS read {} s after the window maps\n",
        options.rounds,
        SETTLE.as_secs()
    );
    println!(
        "| measure | this app | KeePassXC | ratio | WebKitGTK floor (MiniBrowser, empty page) |"
    );
    println!("|---|---|---|---|---|");
    let row = |label: &str, [ours, theirs, floor]: [f64; 3], unit: &str| {
        println!(
            "| {label} | {ours:.2} {unit} | {theirs:.2} {unit} | {:.2}× | {floor:.2} {unit} ({:.2}× KeePassXC) |",
            ours / theirs,
            floor / theirs
        );
    };
    row(
        "start to mapped window, cold",
        cold.each_ref().map(|starts| seconds(starts)),
        "s",
    );
    row(
        "start to mapped window, warm",
        warm.each_ref().map(|starts| seconds(starts)),
        "s",
    );
    row(
        "idle PSS, every process",
        warm.each_ref().map(|starts| total_mb(starts)),
        "MB",
    );
    for (i, subject) in subjects.iter().enumerate() {
        let names: Vec<&String> = warm[i][0].pss_kb.keys().collect();
        for name in names {
            let mb = median(
                warm[i]
                    .iter()
                    .map(|s| s.pss_kb.get(name).copied().unwrap_or(0) as f64 / 1024.0),
            );
            println!("| … {} process `{name}` | {mb:.1} MB | | | |", subject.name);
        }
    }

    // Idle CPU: KeePassXC and the empty page on their first screen, this app on each area
    // (Ctrl+1…5).
    let theirs = idle_cpu(&keepassxc, &[None], options.cpu_seconds)?;
    let floors = idle_cpu(&floor, &[None], options.cpu_seconds)?;
    let areas = [1, 2, 3, 4, 5].map(Some);
    let ours = idle_cpu(&app, &areas, options.cpu_seconds)?;
    for (area, (cpu, wakeups)) in ours.iter().enumerate() {
        println!(
            "| idle CPU over {} s, area {} (Ctrl+{}) | {cpu:.3}% of a core, {wakeups:.1} wake-ups/s | {:.3}%, {:.1} wake-ups/s | | {:.3}%, {:.1} wake-ups/s |",
            options.cpu_seconds,
            area + 1,
            area + 1,
            theirs[0].0,
            theirs[0].1,
            floors[0].0,
            floors[0].1
        );
    }

    if let Some(minutes) = options.switching_minutes {
        let churn = Subject {
            name: "WebKitGTK, the same churn",
            title: CHURN_TITLE,
            args: vec![format!(
                "file://{}",
                root().join("tests/bench/churn.html").display()
            )],
            ..floor
        };
        let ours = switching(&app, true, minutes)?;
        let engine = switching(&churn, false, minutes)?;
        let row = |samples: &[(f64, u64)]| {
            let mb = |i: usize| samples.get(i).map_or(f64::NAN, |s| s.0);
            let (first, after_one, end) = (mb(0), mb(1), mb(samples.len() - 1));
            let later_switches: u64 = samples.iter().skip(2).map(|s| s.1).sum();
            format!(
                "{first:.1} → {after_one:.1} after a minute → {end:.1} MB; then {:+.1} KB a switch over {later_switches} switches",
                (end - after_one) * 1024.0 / later_switches as f64
            )
        };
        println!(
            "| web process, anonymous memory, {minutes} min of area switches every {} ms (Ctrl+1…5 by X key presses, no WebDriver) | {} | | | the same churn of a form in MiniBrowser: {} |",
            SWITCH_EVERY.as_millis(),
            row(&ours),
            row(&engine)
        );
    }
    if let Some(minutes) = options.soak_minutes {
        soak(&app, minutes)?;
    }
    Ok(())
}

/// The title MiniBrowser shows for tests/bench/churn.html.
const CHURN_TITLE: &str = "Area churn";
/// How often an area is switched, here and in tests/bench/churn.html.
const SWITCH_EVERY: Duration = Duration::from_millis(300);

/// The web process's anonymous memory (its own heap; unlike PSS, not changed by what other
/// processes share) at the start and after each minute of switching areas, with the switches
/// made in that minute. With `press_keys`, xdotool presses Ctrl+1…5 in turn, as a user would
/// (each press takes a little longer than the pause); otherwise the page churns by itself,
/// once a pause.
fn switching(subject: &Subject, press_keys: bool, minutes: u64) -> Result<Vec<(f64, u64)>> {
    let mut child = subject.start()?;
    let window = wait_for_window(subject, &mut child)?;
    sleep(SETTLE);
    let web_mb = |pid: u32| -> f64 {
        let kb: u64 = descendants(pid)
            .into_iter()
            .filter(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .is_ok_and(|comm| comm.starts_with("WebKitWebProces"))
            })
            .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).ok())
            .map(|rollup| field_kb(&rollup, "Anonymous:"))
            .sum();
        kb as f64 / 1024.0
    };
    let mut samples = vec![(web_mb(child.id()), 0)];
    if press_keys {
        run(Command::new("xdotool").args(["windowfocus", "--sync", &window]))?;
    }
    for minute in 1..=minutes {
        eprintln!("switching: {}, minute {minute}/{minutes}", subject.name);
        let (start, minute_long) = (Instant::now(), Duration::from_secs(60));
        let mut area = 0;
        while start.elapsed() < minute_long {
            if press_keys {
                let key = format!("ctrl+{}", area % 5 + 1);
                let pressed = Command::new("xdotool").args(["key", &key]).status();
                if !pressed.is_ok_and(|status| status.success()) {
                    return Err(format!("xdotool could not press {key}"));
                }
                area += 1;
            }
            sleep(SWITCH_EVERY);
        }
        let switches = if press_keys {
            area
        } else {
            (minute_long.as_millis() / SWITCH_EVERY.as_millis()) as u64
        };
        samples.push((web_mb(child.id()), switches));
    }
    stop(child);
    Ok(samples)
}

fn measure_start(subject: &Subject) -> Result<Start> {
    let started = Instant::now();
    let mut child = subject.start()?;
    let window = wait_for_window(subject, &mut child)?;
    let to_window = started.elapsed();
    let _ = window;
    sleep(SETTLE);
    let pss_kb = pss_by_process(child.id());
    stop(child);
    sleep(Duration::from_secs(1));
    Ok(Start { to_window, pss_kb })
}

/// Waits until a visible window has exactly this title, and returns its X id.
fn wait_for_window(subject: &Subject, child: &mut Child) -> Result<String> {
    let title = subject.title;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", &format!("^{title}$")])
            .output()
            .map_err(|e| format!("xdotool: {e}"))?;
        if let Some(id) = String::from_utf8_lossy(&found.stdout).lines().next() {
            return Ok(id.to_owned());
        }
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(subject.log()).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!(
                "{title} exited before its window appeared ({status}); its last output:\n{}",
                tail.join("\n")
            ));
        }
        if Instant::now() > deadline {
            return Err(format!("no window titled {title:?} within 60 s"));
        }
        sleep(Duration::from_millis(10));
    }
}

/// Asks the app to quit (SIGTERM), then makes sure nothing it started outlives it.
fn stop(mut child: Child) {
    let tree = descendants(child.id());
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
        sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    for pid in tree {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
    }
}

fn drop_page_cache() -> Result {
    let _ = Command::new("sync").status();
    std::fs::write("/proc/sys/vm/drop_caches", "3\n").map_err(|e| {
        format!("a cold start needs the page cache dropped (root, /proc/sys/vm/drop_caches): {e}")
    })
}

/// The process and all its descendants, from `/proc/*/stat`.
fn descendants(root_pid: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // The name may hold spaces and parentheses; the fields after the last ')' do not.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|ppid| ppid.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            children.entry(ppid).or_default().push(pid);
        }
    }
    let mut tree = vec![root_pid];
    let mut i = 0;
    while i < tree.len() {
        tree.extend(children.get(&tree[i]).into_iter().flatten());
        i += 1;
    }
    tree
}

fn pss_by_process(root_pid: u32) -> BTreeMap<String, u64> {
    let mut by_name = BTreeMap::new();
    for pid in descendants(root_pid) {
        let proc = PathBuf::from(format!("/proc/{pid}"));
        let (Ok(name), Ok(rollup)) = (
            std::fs::read_to_string(proc.join("comm")),
            std::fs::read_to_string(proc.join("smaps_rollup")),
        ) else {
            continue;
        };
        let pss = field_kb(&rollup, "Pss:");
        *by_name.entry(name.trim().to_owned()).or_insert(0) += pss;
    }
    by_name
}

fn field_kb(text: &str, field: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0)
}

/// CPU time (clock ticks) of the whole tree, and context switches (wake-ups) per thread: a
/// process's CPU time keeps its dead threads' share, but their context switches go with them.
fn cpu_and_switches(root_pid: u32) -> (u64, HashMap<u32, u64>) {
    let (mut ticks, mut switches) = (0, HashMap::new());
    for pid in descendants(root_pid) {
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            let fields: Vec<&str> = stat
                .rsplit_once(')')
                .map(|(_, rest)| rest.split_whitespace().collect())
                .unwrap_or_default();
            // utime and stime are the 14th and 15th fields; `fields` starts at the 3rd.
            for field in [11, 12] {
                ticks += fields
                    .get(field)
                    .and_then(|t| t.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
        let tasks = std::fs::read_dir(format!("/proc/{pid}/task"));
        for task in tasks.into_iter().flatten().flatten() {
            let tid = task.file_name().to_str().and_then(|s| s.parse().ok());
            if let (Some(tid), Ok(status)) =
                (tid, std::fs::read_to_string(task.path().join("status")))
            {
                let count = field_kb(&status, "voluntary_ctxt_switches:")
                    + field_kb(&status, "nonvoluntary_ctxt_switches:");
                switches.insert(tid, count);
            }
        }
    }
    (ticks, switches)
}

/// Idle CPU (% of one core) and wake-ups per second, on each area in turn.
fn idle_cpu(subject: &Subject, areas: &[Option<u8>], seconds: u64) -> Result<Vec<(f64, f64)>> {
    let mut child = subject.start()?;
    let window = wait_for_window(subject, &mut child)?;
    sleep(SETTLE);
    let mut results = Vec::new();
    for area in areas {
        if let Some(area) = area {
            run(Command::new("xdotool").args(["windowfocus", "--sync", &window]))?;
            run(Command::new("xdotool").args(["key", &format!("ctrl+{area}")]))?;
            sleep(Duration::from_secs(3));
        }
        eprintln!("idle CPU: {} area {area:?}, {seconds} s", subject.name);
        let (ticks0, switches0) = cpu_and_switches(child.id());
        sleep(Duration::from_secs(seconds));
        let (ticks1, switches1) = cpu_and_switches(child.id());
        let wakeups: u64 = switches1
            .iter()
            .map(|(tid, n)| n.saturating_sub(switches0.get(tid).copied().unwrap_or(0)))
            .sum();
        let ticks_per_second = 100.0; // USER_HZ on Linux
        results.push((
            ticks1.saturating_sub(ticks0) as f64 / ticks_per_second / seconds as f64 * 100.0,
            wakeups as f64 / seconds as f64,
        ));
    }
    stop(child);
    Ok(results)
}

/// A long scripted session through WebDriver (tests/bench/soak.mjs): the memory of the app and
/// every process it starts, read at each quiet moment the script marks.
fn soak(app: &Subject, minutes: u64) -> Result {
    eprintln!("soak: {minutes} minutes");
    let mut script = Command::new("node")
        .arg(root().join("tests/bench/soak.mjs"))
        .arg(&app.program)
        .arg(minutes.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("node: {e}"))?;
    let stdout = script.stdout.take().ok_or("node: no stdout")?;
    let mut samples: Vec<(String, f64, String)> = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let Some(label) = line.strip_prefix("settled ") else {
            continue;
        };
        // Started by tauri-driver's WebKitWebDriver; /proc's comm holds 15 bytes of the name.
        let name: String = app
            .program
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .chars()
            .take(15)
            .collect();
        let Some(pid) = descendants(script.id()).into_iter().find(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|comm| comm.trim() == name)
        }) else {
            return Err(format!("soak: no {name} process at {label:?}"));
        };
        // Per process too, to tell the page's growth from the app's.
        let by_process = pss_by_process(pid);
        let mb = by_process.values().sum::<u64>() as f64 / 1024.0;
        let parts: Vec<String> = by_process
            .iter()
            .map(|(name, kb)| format!("{name} {:.1}", *kb as f64 / 1024.0))
            .collect();
        let parts = parts.join(", ");
        eprintln!("soak: {mb:.1} MB ({parts}) {label}");
        samples.push((label.to_owned(), mb, parts));
    }
    let status = script.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("soak: the scripted session failed ({status})"));
    }
    let Some(&(_, start, _)) = samples.first() else {
        return Err("soak: no memory reading".into());
    };
    for (label, mb, parts) in &samples {
        println!(
            "| soak ({minutes} min) PSS, every process, {label} | {mb:.1} MB ({parts}) | | {:+.1}% of the start | |",
            (mb / start - 1.0) * 100.0
        );
    }
    Ok(())
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}
