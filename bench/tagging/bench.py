#!/usr/bin/env python3
"""bench/tagging: time and bytes written per file for liner tag vs kid3-cli, mutagen and exiftool.

Every tool writes the same 12-credit sheet (title, artist, album, track number, ISRC, composer, and 12
contributor credits) into fresh copies of the masters. Wall time and bytes written (Linux task I/O
accounting of the tool's process, via wait4 rusage) are reported per file and as ratios.
"""
import argparse
import json
import os
import statistics
import shutil
import subprocess
import sys
import time

CREDITS = [  # (party, name, role, Picard key, TIPL role or None)
    ("p01", "Malik Okafor", "StudioProducer", "PRODUCER", "producer"),
    ("p02", "Søren Kjærgaard", "CoProducer", "PRODUCER", "producer"),
    ("p03", "Layla Haddad", "MixingEngineer", "MIXER", "mix"),
    ("p04", "José Ángel Núñez", "RecordingEngineer", "ENGINEER", "engineer"),
    ("p05", "Inès Moreau", "MasteringEngineer", "MASTERINGENGINEER", None),
    ("p06", "Tomáš Novák", "AssistantEngineer", "ASSISTANTENGINEER", None),
    ("p07", "Aya Mori", "ComposerLyricist", "COMPOSER", None),
    ("p08", "Priya Raman", "Composer", "COMPOSER", None),
    ("p09", "Zoë Laurent", "Vocalist", "PERFORMER", None),
    ("p10", "Kenji Sato", "Arranger", "ARRANGER", "arranger"),
    ("p11", "Ana Lima", "Lyricist", "LYRICIST", None),
    ("p12", "Ravi Das", "Programmer", "PROGRAMMER", None),
]

SETS = {  # name: (extension, count at scale 1, ffmpeg codec options)
    "flac": (".flac", 1000, ["-c:a", "flac"]),
    "mp3": (".mp3", 1000, ["-c:a", "libmp3lame", "-b:a", "192k", "-id3v2_version", "0"]),
    "wav": (".wav", 100, ["-c:a", "pcm_s24le", "-rf64", "never"]),
    "m4a": (".m4a", 200, ["-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart"]),
}


def run(cmd, cwd=None):
    """Runs cmd; returns (seconds, bytes written by the process tree)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {cmd[0]} failed ({status}): {err[-2000:]}")
    return secs, usage.ru_oublock * 512


def make_master(path, codec):
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=48000:duration=30", "-ac", "2", "-map_metadata", "-1",
                    *codec, path], check=True)


def sheet(name, files):
    out = ['sheet_version = 1', '', '[release]', f'title = "Bench {name}"', 'type = "Album"',
           'artists = ["artist"]', '', '[[release.credits]]']
    lines = []
    for party, _, role, _, _ in CREDITS:
        lines += ['[[release.credits]]', f'party = "{party}"', f'roles = ["{role}"]']
    out = out[:-1] + lines + ['', '[parties.artist]', 'name = "Bench Artist"']
    for party, nm, _, _, _ in CREDITS:
        out += [f'[parties.{party}]', f'name = "{nm}"']
    for i, f in enumerate(files, 1):
        out += ['', '[[tracks]]', f'number = {i}', f'title = "Track {i}"', f'isrc = "QZBEN{26}{i:05d}"',
                f'file = "{f}"']
    return "\n".join(out) + "\n"


def mutagen_script():
    return r'''
import sys, json
import mutagen
from mutagen.id3 import ID3, TIT2, TPE1, TALB, TRCK, TSRC, TCOM, TEXT, TIPL, TMCL, TXXX
from mutagen.flac import FLAC
from mutagen.wave import WAVE
credits = json.loads(sys.argv[1])
for i, path in enumerate(sys.argv[2:], 1):
    if path.endswith(".flac"):
        f = FLAC(path)
        t = f.tags if f.tags is not None else (f.add_tags() or f.tags)
        t["TITLE"] = f"Track {i}"; t["ARTIST"] = "Bench Artist"; t["ALBUM"] = "Bench"; t["TRACKNUMBER"] = str(i)
        t["ISRC"] = f"QZBEN26{i:05d}"
        keys = {}
        for _, name, _, key, _ in credits:
            keys.setdefault(key, []).append(name + " (vocals)" if key == "PERFORMER" else name)
        for k, v in keys.items():
            t[k] = v
        f.save()
    else:
        f = WAVE(path) if path.endswith(".wav") else mutagen.File(path)
        if f.tags is None:
            f.add_tags()
        t = f.tags
        t.add(TIT2(encoding=3, text=f"Track {i}")); t.add(TPE1(encoding=3, text="Bench Artist"))
        t.add(TALB(encoding=3, text="Bench")); t.add(TRCK(encoding=3, text=str(i)))
        t.add(TSRC(encoding=3, text=f"QZBEN26{i:05d}"))
        tipl, other = [], {}
        for _, name, _, key, role in credits:
            if role:
                tipl.append([role, name])
            other.setdefault(key, []).append(name)
        t.add(TIPL(encoding=3, people=tipl)); t.add(TMCL(encoding=3, people=[["vocals", "Zoë Laurent"]]))
        t.add(TCOM(encoding=3, text=other["COMPOSER"])); t.add(TEXT(encoding=3, text=other["LYRICIST"]))
        for k, v in other.items():
            t.add(TXXX(encoding=3, desc=k, text=["; ".join(v)]))
        f.save(v2_version=4) if not path.endswith(".wav") else f.save()
'''


def kid3_commands():
    cmds = ['set title "Track"', 'set artist "Bench Artist"', 'set album "Bench"', 'set isrc "QZBEN2600001"']
    keys = {}
    for _, name, _, key, _ in CREDITS:
        keys.setdefault(key, []).append(name)
    for k, v in keys.items():
        cmds.append(f'set "{k}" "{"; ".join(v)}"')
    return cmds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--liner", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated: flac,mp3,wav,m4a")
    ap.add_argument("--tools", default="", help="comma-separated subset of the tools (default: all)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="rounds over the tools, each on fresh copies, in a rotated order; the median is "
                         "reported (kid3-cli, 100x slower than the others, runs in the first round only)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    masters = os.path.join(a.work, "masters")
    os.makedirs(masters, exist_ok=True)
    results = {"files": {}, "tools": {}}
    chosen = [x for x in a.sets.split(",") if x in SETS]
    for name, (ext, count, codec) in SETS.items():
        if name not in chosen:
            continue
        n = max(2, int(count * a.scale))
        src = os.path.join(masters, "master" + ext)
        if not os.path.exists(src):
            make_master(src, codec)
        results["files"][name] = {"count": n, "bytes_each": os.path.getsize(src)}

    def fresh(name):
        ext, _, _ = SETS[name]
        d = os.path.join(a.work, "run", name)
        shutil.rmtree(os.path.join(a.work, "run"), ignore_errors=True)
        os.makedirs(d)
        n = results["files"][name]["count"]
        files = [f"{i:04d} - Track {i}{ext}" for i in range(1, n + 1)]
        for f in files:
            shutil.copyfile(os.path.join(masters, "master" + ext), os.path.join(d, f))
        with open(os.path.join(a.work, "run", f"{name}.toml"), "w") as s:
            s.write(sheet(name, [f"{name}/{f}" for f in files]))
        subprocess.run(["sync"])
        return d, [os.path.join(d, f) for f in files]

    def record(tool, name, runs):
        n = results["files"][name]["count"]
        secs = statistics.median(r[0] for r in runs)
        written = int(statistics.median(r[1] for r in runs))
        results["tools"].setdefault(tool, {})[name] = {"seconds": round(secs, 3), "ms_per_file": round(1000 * secs / n, 3),
                                                        "bytes_written_per_file": written // n,
                                                        "runs_seconds": [round(r[0], 3) for r in runs]}
        spread = f"  (runs {min(r[0] for r in runs):.2f}-{max(r[0] for r in runs):.2f} s)" if len(runs) > 1 else ""
        print(f"{tool:>14} {name:>5}: {secs:8.2f} s  {1000 * secs / n:8.2f} ms/file  {written / n / 1024:10.1f} KiB written/file"
              f"{spread}", flush=True)

    cred = json.dumps(CREDITS)
    have_kid3 = shutil.which("kid3-cli") is not None

    def run_tool(tool, name):
        d, files = fresh(name)
        sheet_path = os.path.join(a.work, "run", f"{name}.toml")
        if tool == "copy":
            out = d + "-copy"
            secs, w = run(["cp", "-r", d, out])
        elif tool == "copy-sync":  # a copy that is on the disk when it ends, as liner's safe writes are
            out = d + "-copy"
            secs, w = run(["sh", "-c", 'cp -r "$0" "$1" && sync', d, out])
        elif tool == "liner":
            secs, w = run([a.liner, "tag", sheet_path])
        elif tool == "liner-j8":  # more jobs than cores: the safe default mostly waits for fsync
            secs, w = run([a.liner, "tag", "-j", "8", sheet_path])
        elif tool == "liner-in-place":
            secs, w = run([a.liner, "tag", "--in-place", sheet_path])
        elif tool == "mutagen":
            secs, w = run(["/usr/bin/python3", "-c", mutagen_script(), cred, *files])
        elif tool == "kid3-cli":
            cmd = ["kid3-cli"]
            for c in kid3_commands():
                cmd += ["-c", c]
            secs, w = run(cmd + files)
        elif tool == "exiftool":
            names = {}
            for _, nm, role, _, _ in CREDITS:
                names.setdefault(role, []).append(nm)
            comment = "; ".join(f"{r}: {', '.join(v)}" for r, v in names.items())
            secs, w = run(["exiftool", "-q", "-overwrite_original", "-ItemList:Title=Track",
                           "-ItemList:Artist=Bench Artist", "-ItemList:Album=Bench",
                           "-ItemList:Composer=Aya Mori", "-ItemList:Composer=Priya Raman",
                           f"-ItemList:Comment={comment}", *files])
        return secs, w

    for name in chosen:
        tools = ["copy", "copy-sync", "liner", "liner-j8", "liner-in-place"]
        if name == "m4a":
            tools.append("exiftool")
        else:
            tools += ["mutagen"] + (["kid3-cli"] if have_kid3 else [])
        if a.tools:
            tools = [x for x in tools if x in a.tools.split(",")]
        runs = {tool: [] for tool in tools}
        for rnd in range(max(1, a.rounds)):
            for tool in tools[rnd % len(tools):] + tools[:rnd % len(tools)]:
                if tool == "kid3-cli" and rnd > 0:
                    continue
                runs[tool].append(run_tool(tool, name))
        for tool in tools:
            record(tool, name, runs[tool])
    # Ratios the issue asks for.
    t = results["tools"]
    ratios = {}
    for name in chosen:
        if any(name not in t.get(x, {}) for x in ("liner", "liner-in-place", "copy", "liner-j8")):
            continue
        lp = t["liner-in-place"][name]["seconds"]
        ls = t["liner"][name]["seconds"]
        for other in ("kid3-cli", "mutagen", "exiftool"):
            if other in t and name in t[other]:
                ratios[f"{other}/liner-in-place {name}"] = round(t[other][name]["seconds"] / lp, 2)
                ratios[f"{other}/liner {name}"] = round(t[other][name]["seconds"] / ls, 2)
        ratios[f"liner/(copy+in-place) {name}"] = round(ls / (t["copy"][name]["seconds"] + lp), 2)
        ratios[f"liner-j8/(copy+in-place) {name}"] = round(t["liner-j8"][name]["seconds"] / (t["copy"][name]["seconds"] + lp), 2)
        if name in t.get("copy-sync", {}):
            ratios[f"liner/(copy-sync+in-place) {name}"] = round(ls / (t["copy-sync"][name]["seconds"] + lp), 2)
        if "exiftool" in t and name in t["exiftool"]:
            ratios[f"exiftool/liner-j8 {name}"] = round(t["exiftool"][name]["seconds"] / t["liner-j8"][name]["seconds"], 2)
    results["ratios"] = ratios
    print(json.dumps(results, indent=2, ensure_ascii=False))
    with open(os.path.join(a.work, f"results-{'-'.join(chosen)}.json"), "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
