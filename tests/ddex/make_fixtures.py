#!/usr/bin/env python3
"""Regenerates tests/ddex/fixtures/invalid-<reason>.xml from valid-single.xml (one change each)."""
import pathlib, re
here = pathlib.Path(__file__).parent / "fixtures"
base = (here / "valid-single.xml").read_text(encoding="utf-8")

def once(s, old, new):
    assert old in s, old
    return s.replace(old, new, 1)

cases = {
    "unresolved-party": lambda s: once(s, "<ContributorPartyReference>Pmalik<", "<ContributorPartyReference>Pnobody<"),
    "unresolved-resource": lambda s: once(s, "<ReleaseResourceReference>A1<", "<ReleaseResourceReference>A9<"),
    "unresolved-release": lambda s: once(s, "<DealReleaseReference>R1<", "<DealReleaseReference>R9<"),
    "master-shares-total": lambda s: once(s, "<RightSharePercentage>50<", "<RightSharePercentage>40<"),
    "master-shares-exceed": lambda s: once(s, "<RightSharePercentage>50<", "<RightSharePercentage>60<"),
    "rights-controller-incomplete": lambda s: once(s, "<RightsControlType>RightsController</RightsControlType>\n        <RightSharePercentage>50<", "<RightSharePercentage>50<"),
    "duplicate-contributor": lambda s: once(s, "<ContributorPartyReference>Psoren<", "<ContributorPartyReference>Pmalik<"),
    "multiple-main-artists": lambda s: once(s, "<DisplayArtistRole>MainArtist</DisplayArtistRole>\n      </DisplayArtist>",
        "<DisplayArtistRole>MainArtist</DisplayArtistRole>\n      </DisplayArtist>\n      <DisplayArtist SequenceNumber=\"2\">\n        <ArtistPartyReference>Pmalik</ArtistPartyReference>\n        <DisplayArtistRole>MainArtist</DisplayArtistRole>\n      </DisplayArtist>"),
    "unknown-role": lambda s: once(s, "<Role>StudioProducer</Role>", "<Role>Producer</Role>"),
    "unknown-instrument": lambda s: once(s, "<InstrumentType>Piano</InstrumentType>", "<InstrumentType>Pianoforte</InstrumentType>"),
    "user-defined-value": lambda s: once(s, "<Role UserDefinedValue=\"Session Curator\">UserDefined</Role>", "<Role>UserDefined</Role>")
        if "Session Curator" in s else once(s, "<Role>Programmer</Role>", "<Role>UserDefined</Role>"),
    "isrc-check": lambda s: once(s, "<ISRC>JPX012600101<", "<ISRC>JPX01260010<"),
    "icpn-check": lambda s: re.sub(r"<ICPN>(\d+)(\d)<", lambda m: f"<ICPN>{m.group(1)}{(int(m.group(2))+1)%10}<", s, count=1),
    "isni-check": lambda s: re.sub(r"<ISNI>(\d{15})(.)<", lambda m: f"<ISNI>{m.group(1)}{'0' if m.group(2)!='0' else '1'}<", s, count=1),
    "dpid-check": lambda s: re.sub(r"<DPID>PADPIDA(\w+)(\w)<", lambda m: f"<DPID>PADPIDA{m.group(1)}{'A' if m.group(2)!='A' else 'B'}<", s, count=1),
    "grid-check": lambda s: re.sub(r"<GRid>(\w+)(\w)<", lambda m: f"<GRid>{m.group(1)}{'A' if m.group(2)!='A' else 'B'}<", s, count=1),
    "iswc-check": lambda s: re.sub(r"<ISWC>T(\d{9})(\d)<", lambda m: f"<ISWC>T{m.group(1)}{(int(m.group(2))+1)%10}<", s, count=1),
    "duration": lambda s: once(s, "<Duration>PT3M41S<", "<Duration>3:41<"),
    "date": lambda s: once(s, "<ReleaseDate>2026-03-13<", "<ReleaseDate>2026-02-30<"),
    "xsd-order": lambda s: once(s, "<Type>MusicalWorkSoundRecording</Type>", "<Typo>MusicalWorkSoundRecording</Typo>"),
    "unknown-version": lambda s: s.replace("http://ddex.net/xml/ern/43", "http://ddex.net/xml/ern/99"),
    "malformed": lambda s: once(s, "</PartyList>", "</PartyLis>"),
    "xxe": lambda s: once(s, "<ern:NewReleaseMessage", "<!DOCTYPE ern:NewReleaseMessage [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<ern:NewReleaseMessage").replace("<GenreText>Electronic<", "<GenreText>&xxe;<", 1),
    "billion-laughs": lambda s: once(s, "<ern:NewReleaseMessage", "<!DOCTYPE ern:NewReleaseMessage [\n" + "\n".join(
        [" <!ENTITY lol0 \"lol\">"] + [f" <!ENTITY lol{i} \"" + f"&lol{i-1};" * 10 + "\">" for i in range(1, 10)]) + "\n]>\n<ern:NewReleaseMessage").replace("<GenreText>Electronic<", "<GenreText>&lol9;<", 1),
    "external-dtd": lambda s: once(s, "<ern:NewReleaseMessage", "<!DOCTYPE ern:NewReleaseMessage SYSTEM \"http://127.0.0.1:9/ern.dtd\">\n<ern:NewReleaseMessage"),
}
for name, f in cases.items():
    out = f(base)
    assert out != base, name
    (here / f"invalid-{name}.xml").write_text(out, encoding="utf-8")
print(len(cases), "fixtures")
