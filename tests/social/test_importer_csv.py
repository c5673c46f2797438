"""Generic CSV/TSV/XLSX importer: column names, --map, --account, encodings, dates, and the
rows it must reject. Every fixture is small and counted by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiplens.errors import BadInput
from tiplens.social.importing import import_files


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_common_column_names_without_map(study, tmp_path):
    f = write(tmp_path, "export.csv",
              "Tweet Id,Date,Full Text,Screen Name,Favorite Count,Retweets,Reply Count\n"
              "101,2021-03-01 10:00:00,Stop #trafficking now @UNODC,IOM_Indonesia,\"1,234\",12,\n"
              "102,2021-03-02T11:00:00Z,RT @ilo: decent work,IOM_Indonesia,0,5,n/a\n"
              "103,02/03/2021,\"two\nlines\",@IOM_Indonesia,1.2K,,3\n")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (3, 3, 0)
    rows = {r[0]: r[1:] for r in study.query(
        "SELECT post_id, platform, account, created_at::VARCHAR, kind, parent_account, likes, reposts, replies, text FROM posts")}
    assert rows["101"][:8] == ("csv", "iom_indonesia", "2021-03-01 10:00:00", "original", None, 1234, 12, None)
    assert rows["102"][3:6] == ("retweet", "ilo", 0)
    assert rows["103"][2] == "2021-03-02 00:00:00"  # day first unless the file shows otherwise
    assert rows["103"][5:9] == (1200, None, 3, "two\nlines")
    tags = study.query("SELECT post_id, kind, value FROM post_entities WHERE kind IN ('hashtag', 'mention') ORDER BY 1, 2")
    assert tags == [("101", "hashtag", "trafficking"), ("101", "mention", "unodc"), ("102", "mention", "ilo")]


def test_map_account_platform_and_no_text_column(study, tmp_path):
    f = write(tmp_path, "engagement.tsv",
              "postnum\twhen\tthumbs\tnetwork\ttype\n"
              "1\t2022-01-01\t10\tInstagram\tpost\n"
              "2\t2022-01-02\t\tInstagram\tREPLY\n")
    report = import_files(study, [f], account="@NGO", mapping={"postnum": "post_id", "when": "created_at",
                                                                "thumbs": "likes", "network": "platform", "type": "kind"})
    assert report.imported == 2
    assert study.query("SELECT post_id, platform, account, kind, likes, text FROM posts ORDER BY 1") == [
        ("1", "instagram", "ngo", "original", 10, None), ("2", "instagram", "ngo", "reply", None, None)]


def test_map_errors_name_the_column_and_what_exists(study, tmp_path):
    f = write(tmp_path, "a.csv", "id,date,text,user\n1,2020-01-01,x,a\n")
    # a field tiplens does not have is an unusable option: nothing is read
    with pytest.raises(BadInput, match="unknown field 'stars'"):
        import_files(study, [f], mapping={"text": "stars"})
    # what one file lacks makes that file one rejected item, with the reason; the other files go on
    g = write(tmp_path, "b.csv", "id,date,text\n1,2020-01-01,x\n")
    h = write(tmp_path, "c.csv", "ident,text,user\n1,x,a\n")
    report = import_files(study, [f, g, h], mapping={"likes_total": "likes"})
    notes = {Path(x.file).name: x.note for x in report.files}
    assert "'likes_total'" in notes["a.csv"] and "id, date, text, user" in notes["a.csv"]
    assert "'likes_total'" in notes["b.csv"] and "no post id column" not in notes["b.csv"]
    report = import_files(study, [g, h])
    notes = {Path(x.file).name: x.note for x in report.files}
    assert "--account" in notes["b.csv"] and "no post id column" in notes["c.csv"]
    assert all((x.read, x.rejected) == (1, 1) for x in report.files)
    assert study.query("SELECT count(*) FROM posts")[0][0] == 0  # nothing half-imported
    reasons = [r[0] for r in study.query("SELECT reason FROM rejects ORDER BY reason")]
    assert len(reasons) == 5 and any("no post id column" in r for r in reasons)


def test_bad_rows_are_rejected_with_their_line(study, tmp_path):
    f = write(tmp_path, "bad.csv",
              "id,created_at,text,account,likes,kind\n"
              "1,2020-01-01,ok,a,1,original\n"          # line 2
              ",2020-01-02,no id,a,1,\n"                 # line 3
              "3,not a date,x,a,1,\n"                     # line 4
              "4,,no date,a,1,\n"                         # line 5
              "5,2020-01-05,x,a,lots,\n"                  # line 6
              "6,2020-01-06,x,a,1,story\n"                # line 7
              "7,2020-01-07,x,a\n"                        # line 8: too few fields
              "1.24765573350573E+18,2020-01-08,x,a,1,\n"  # line 9: rounded by a spreadsheet
              "\n"
              "1,2020-01-01,again,a,1,\n")                # line 11: duplicate id
    report = import_files(study, [f])
    assert (report.read, report.imported, report.duplicates, report.rejected) == (9, 1, 1, 7)
    rejects = study.query("SELECT line, reason FROM rejects ORDER BY line")
    assert [r[0] for r in rejects] == [3, 4, 5, 6, 7, 8, 9]
    reasons = [r[1] for r in rejects]
    assert "no post id" in reasons[0] and "is not a date" in reasons[1] and "no date" in reasons[2]
    assert "not a number" in reasons[3] and "'story'" in reasons[4] and "expected 6 fields" in reasons[5]
    assert "scientific notation" in reasons[6]


def test_wrong_encoding_is_detected(study, tmp_path):
    f = write(tmp_path, "cp1252.csv", "id;date;text;account\n"
              "1;2020-01-01;Perdagangan orang – café’s “help”;org\n2;2020-01-02;niño;org\n", encoding="cp1252")
    report = import_files(study, [f])
    assert report.imported == 2
    assert study.query("SELECT text FROM posts ORDER BY post_id") == [("Perdagangan orang – café’s “help”",), ("niño",)]
    g = write(tmp_path, "cp1250.csv", "id;date;text;account\n9;2020-01-01;Zażółć gęślą jaźń;org\n", encoding="cp1250")
    assert import_files(study, [g], encoding="cp1250").imported == 1
    assert study.query("SELECT text FROM posts WHERE post_id = '9'") == [("Zażółć gęślą jaźń",)]


def test_month_first_dates_are_recognised_from_the_column(study, tmp_path):
    f = write(tmp_path, "us.csv", "id,date,account\n1,03/04/2021 1:30 PM,a\n2,12/25/2021 9:00 AM,a\n")
    report = import_files(study, [f])
    assert "month/day/year" in report.files[0].note
    got = study.query("SELECT post_id, created_at::VARCHAR FROM posts ORDER BY 1")
    assert got == [("1", "2021-03-04 13:30:00"), ("2", "2021-12-25 09:00:00")]


def test_twarc_csv_columns_give_kinds(study, tmp_path):
    f = write(tmp_path, "twarc.csv",
              "id,created_at,text,author.username,public_metrics.like_count,referenced_tweets.retweeted.id,"
              "referenced_tweets.quoted.id,referenced_tweets.replied_to.id\n"
              "1,2021-09-22T10:00:00.000Z,RT @a: x,Org,0,900,,\n"
              "2,2021-09-22T10:00:00.000Z,see,Org,3,,901,\n"
              "3,2021-09-22T10:00:00.000Z,@b hi,Org,1,,,902\n")
    import_files(study, [f])
    assert study.query("SELECT post_id, account, kind, parent_id, likes FROM posts ORDER BY 1") == [
        ("1", "org", "retweet", "900", 0), ("2", "org", "quote", "901", 3), ("3", "org", "reply", "902", 1)]


def test_xlsx_workbook(study, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from datetime import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "created_at", "content", "username", "likes"])
    ws.append(["1247655733505732612", datetime(2020, 4, 7, 22, 41), "kept as text", "who", 5])
    ws.append([1247655733505732612, datetime(2020, 4, 8), "a number Excel rounds", "who", 2])
    path = tmp_path / "posts.xlsx"
    wb.save(path)
    report = import_files(study, [path])
    assert (report.read, report.imported, report.rejected) == (2, 1, 1)
    assert study.query("SELECT post_id, created_at::VARCHAR, likes FROM posts") == [
        ("1247655733505732612", "2020-04-07 22:41:00", 5)]
    assert study.query("SELECT line FROM rejects") == [(3,)]


def test_4cat_csv_of_an_x_dataset(study, tmp_path):
    # the columns 4CAT writes for X datasets (Zeeschuimer imports, API v2 searches), invented rows
    header = ("id,thread_id,timestamp,unix_timestamp,link,body,author,author_fullname,author_id,language_guess,"
              "retweet_count,reply_count,like_count,quote_count,impression_count,is_retweet,retweeted_user,"
              "is_quote_tweet,quoted_user,is_reply,replied_user,hashtags,mentions")
    rows = [
        '101,101,2023-10-12 08:00:00,1697097600,https://x.com/org/status/101,Know the signs #EndTrafficking,'
        'OrgHandle,An Org,5,en,4,1,10,0,300,no,,no,,no,,EndTrafficking,',
        '102,102,2023-10-12 09:00:00,1697101200,https://x.com/org/status/102,"RT @UNODC: Report out today",'
        'OrgHandle,An Org,5,en,7,0,0,0,,yes,UNODC,no,,no,,,UNODC',
        '103,103,2023-10-12 10:00:00,1697104800,https://x.com/org/status/103,Read this,'
        'OrgHandle,An Org,5,en,0,0,2,0,50,no,,yes,UNmigration,no,,,',
        '104,90,2023-10-12 11:00:00,1697108400,https://x.com/org/status/104,@ILO thank you,'
        'OrgHandle,An Org,5,id,0,0,1,0,20,no,,no,,yes,ILO,,ILO',
        # a flag that is neither yes nor no is a reject, not a silent "no"
        '105,105,2023-10-12 12:00:00,1697112000,https://x.com/org/status/105,Hmm,'
        'OrgHandle,An Org,5,en,0,0,1,0,20,no,,sometimes,,no,,,',
    ]
    f = tmp_path / "4cat-x.csv"
    f.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = import_files(study, [f])
    assert (report.read, report.imported, report.rejected) == (5, 4, 1)
    assert study.query("SELECT line, reason FROM rejects") == [(6, "post 105: is_quote 'sometimes' is not yes or no")]
    got = {r[0]: r[1:] for r in study.query(
        "SELECT post_id, account, account_name, kind, parent_account, likes, reposts, views, lang FROM posts")}
    assert got["101"] == ("orghandle", "An Org", "original", None, 10, 4, 300, "en")
    assert got["102"][2:4] == ("retweet", "unodc")
    assert got["103"][2:4] == ("quote", "unmigration")
    assert got["104"][2:4] == ("reply", "ilo") and got["104"][7] == "id"
    edges = set(study.query("SELECT post_id, target_account, kind FROM interactions"))
    assert {("102", "unodc", "retweet"), ("103", "unmigration", "quote"), ("104", "ilo", "reply")} <= edges
