"""Screening records of one checkout, written for a byte-for-byte comparison with another (not a test).

    PYTHONPATH=src python bench/screen_same.py --out DIR --model MODEL.skops [--ads 20000]
    cmp DIR_A/x.jsonl DIR_B/x.jsonl      # for every file, e.g. with: diff -r DIR_A DIR_B

Run it once with each checkout on PYTHONPATH (same model file, trained once): a change meant
only for speed must leave every file identical. Inputs: the benchmark's ads of about 2 kB cut
from EMSCAD (bench/screen.py), as many ads joined from the synthetic demo sample (denser in
indicators, contacts, Indonesian, leetspeak and spaced letters), the EMSCAD development file
itself, and odd texts (empty, binary, control characters, look-alike letters, very long).
Each is screened in rules mode and with the model, into ``<input>-<mode>.jsonl`` (the sample
and the odd texts also with ``--country ID``).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ODD = [
    "", "   \n\t ", "\x00\x01binary\x02", "a\x01b\x02c\x03d\x04e\x05f\x06g\x07h\x08", "ok \ufffd\ufffd text",
    "URGENT hiring!! f r e e visa, fr33 ticket, ca$h daily, p.a.s.p.o.r.t kept by agent. WA +62 812 3456 7890",
    "Lowongan kerja ke Malaysia tanpa pengalaman, gaji besar, biaya pendaftaran Rp 500.000, hubungi 0812-3456-7890",
    "Ｆｒｅｅ ｖｉｓａ， ｈｉｇｈ ｓａｌａｒｙ ℌ𝔦𝔯𝔦𝔫𝔤 𝐧𝐨𝐰 ⓦⓞⓡⓚ ⓐⓑⓡⓞⓐⓓ",
    "Раssроrt will be kерt by the emplоyer. Registrаtion fее required.",
    "İstanbul İŞ İLANI: Σ ΣΑΣ pay the fee ΣΟΦΙΑ",
    "co-\nworker need-\ned, apply to john(at)example(dot)com or line id: synthetic_1, telegram @synthetic_tg",
    "words broken\u00ad soft\u200bhyphen ﬁnance straße æther ø",
    "tel: (021) 555-1234 / +44 7700 900123, wa.me/447700900123, t.me/synthetic_cs, wechat: synth_wx1",
    "#PHONE_0123456789abcdef0123# and #EMAIL_abcdef0123456789abcd# and #URL_fedcba9876543210fedc#",
    "Earn $350 per day from home! No experience needed. " * 3000,
    "😀👍🏽 kerja 🔥g🔥a🔥j🔥i🔥 besar 🔥 visa turis 中文 العربية हिन्दी",
    "no registration fee, no placement fees, visa costs covered by the employer; passport not held",
]


def _ads_sample(n: int) -> list[str]:
    import screen_rules

    return screen_rules.ads_from_sample(n)


def _ads_emscad(n: int) -> list[str]:
    import screen

    texts, _ = screen.base_texts()
    return list(screen.ads(n, texts))


def _write_csv(path: Path, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerows((str(i), t) for i, t in enumerate(texts))
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--ads", type=int, default=20_000)
    a = ap.parse_args()
    import screen
    from tiplens.screen import model as m
    from tiplens.screen.scoring import Scorer
    from tiplens.screen.screening import ScreenOptions, screen_files

    a.out.mkdir(parents=True, exist_ok=True)
    inputs = {
        "bench": _write_csv(a.out / "in-bench.csv", _ads_emscad(a.ads)),
        "sample": _write_csv(a.out / "in-sample.csv", _ads_sample(a.ads)),
        "odd": _write_csv(a.out / "in-odd.csv", ODD),
    }
    emscad = screen.emscad_path()
    if emscad is not None:
        inputs["emscad"] = emscad
    model = m.load(a.model)
    for name, path in inputs.items():
        for mode in ("rules", "model"):
            for country in (None, "ID") if name in ("sample", "odd") else (None,):
                out = a.out / f"{name}-{mode}{'-' + country if country else ''}.jsonl"
                opts = ScreenOptions(text_column="text", id_column="ad_id" if name == "emscad" else "id",
                                     label_column="label" if name == "emscad" else None, country=country)
                s = screen_files([path], out, opts, Scorer(model) if mode == "model" else None)
                print(f"{out.name}: {s.read:,} read, {s.flagged:,} flagged", flush=True)


if __name__ == "__main__":
    main()
