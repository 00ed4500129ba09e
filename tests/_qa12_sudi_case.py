"""QA12: synthetic SUDI case "Mason Reid" (everything invented). Deterministic: python _qa12_sudi_case.py OUT_DIR (s21 QA12; tests/test_qa12_sudi_s21.py)
Modelled on the pattern the CSPRP 'Out of routine' (2020) report describes: a young care-leaver mother,
domestic abuse, parental substance misuse, a CP plan, a house move across local authorities, and a baby who
dies co-sleeping on a sofa with a parent after alcohol/drug use during a disruption of routine.
DOB 12/06/2023, died 14/10/2023 (4 months)."""
import csv
import sys
import shutil
from pathlib import Path

import openpyxl
import pandas as pd

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "case"

CASE_YML = """\
# QA12 synthetic SUDI case: everything invented.
case_id: qa12_sudi
child_name: Mason Reid
child_sex: male
date_of_birth: '2023-06-12'
date_of_death: '2023-10-14'
review_date: '2023-10-31'
people:
  Mason Reid: Child
  Kayleigh Reid: Mother
  Connor Doyle: Father
  Tracy Reid: Maternal grandmother
  Jordan Pike: Father's friend
addresses:
- Linden House
- Harcourt Road
- Fenwick Close
files:
- path: westmoor_maternity.xlsx
  agency: Westmoor Hospitals Maternity
- path: health_visiting.csv
  agency: Westmoor Health Visiting
  profile: hv
- path: gp_ashby_road.docx
  agency: Ashby Road Surgery
- path: police.csv
  agency: Westmoor Police
- path: westmoor_csc.xlsx
  agency: Westmoor Children's Social Care
- path: housing.ods
  agency: Westmoor Housing Options
- path: substance_misuse.csv
  agency: Pathways Drug and Alcohol Service
- path: kelsham_csc.xlsx
  agency: Kelsham Children's Services
- path: kelsham_royal_ed.csv
  agency: Kelsham Royal Hospital
"""

VOCAB = """\
agencies:
  Westmoor Hospitals Maternity:
    aliases: [Midwifery, Midwife, Community midwife, Maternity, Westmoor maternity]
    kind: health
    organisation: Westmoor Hospitals NHS Trust
  Westmoor Health Visiting:
    aliases: [Health visiting, Health visitor, HV, 0-19 service]
    kind: health
    organisation: Westmoor Community Health NHS Trust
  Ashby Road Surgery:
    aliases: [GP, GP practice, Ashby Road]
    kind: health
    organisation: Ashby Road Surgery
  Westmoor Police:
    aliases: [Police, MASH police]
    kind: police
    organisation: Westmoor Police
  Westmoor Children's Social Care:
    aliases: [Children's Social Care, Social care, CSC, MASH, Westmoor MASH, Leaving care team]
    kind: social care
    organisation: Westmoor Council
  Westmoor Housing Options:
    aliases: [Housing, Housing options]
    kind: housing
    organisation: Westmoor Council
  Pathways Drug and Alcohol Service:
    aliases: [Pathways, Substance misuse service, Drug and alcohol service]
    kind: health
    organisation: Pathways Recovery CIC
  Kelsham Children's Services:
    aliases: [Kelsham CSC, Kelsham MASH, Kelsham Children's Social Care]
    kind: social care
    organisation: Kelsham County Council
  Kelsham Royal Hospital:
    aliases: [Kelsham ED, Kelsham Royal]
    kind: health
    organisation: Kelsham Royal Hospital NHS Trust
"""

HV_PROFILE = """\
description: Westmoor 0-19 service extract
columns:
  date: Contact date
  contact_type: Contact
  role: HV staff
  description: Record
  action: Plan / outcome
  child_seen: Baby seen
"""

# ---------------------------------------------------------------- midwifery (xlsx, title rows, merged dates)
MW_HEAD = ["Date", "Time", "Practitioner", "Type of contact", "Details of contact", "Action taken",
           "Child seen", "Shared with"]
MW = [
    ("17/01/2023", "10:00", "Community midwife", "Booking appointment",
     "Late booking at approx 22 weeks gestation. Kayleigh Reid (17) is a care leaver (leaving care team, personal "
     "adviser). Reports partner Connor Doyle (23) is the father; says he 'gets angry when he drinks'. Smokes 10 a day. "
     "Declined to answer the routine domestic abuse enquiry as partner present.",
     "Booking bloods taken. Plan to see alone next time. Safeguarding lead informed.", "n/a", ""),
    ("17/01/2023", "10:40", "Community midwife", "Safeguarding discussion",
     "Discussed with safeguarding midwife: care leaver, late booking, possible domestic abuse.",
     "Agreed to wait and see at next appointment before referring.", "n/a", ""),
    ("31/01/2023", "", "Community midwife", "Antenatal appointment",
     "Did not attend antenatal appointment. Phone not answered.", "Letter sent with new appointment.", "n/a", ""),
    ("21/02/2023", "09:30", "Community midwife", "Antenatal appointment",
     "Seen alone at 27 weeks. Disclosed partner pushed her against a wall on Valentine's night; police came. Says "
     "Connor uses cocaine at weekends. Living in Linden House (mother's flat), overcrowded.",
     "Referral to children's social care (pre-birth) sent today. Domestic abuse advice given.", "n/a",
     "Children's Social Care; GP"),
    ("14/03/2023", "", "Community midwife", "Antenatal appointment", "Did not attend.",
     "Rebooked; no further action.", "n/a", ""),
    ("04/04/2023", "", "Community midwife", "Antenatal appointment", "Did not attend. Third missed appointment.",
     "Letter to GP.", "n/a", "GP"),
    ("02/05/2023", "14:00", "Community midwife", "Antenatal appointment",
     "Seen at 37 weeks with partner. Safe sleep discussed briefly; Kayleigh says baby will sleep in a moses basket "
     "'when we get one'.", "Leaflet given.", "n/a", ""),
    ("12/06/2023", "03:15", "Delivery suite midwife", "Birth",
     "Mason born at 38+3 weeks, 2.9 kg, at Westmoor Hospital. Father Connor present, smelt of alcohol.",
     "Postnatal ward. Social worker informed of birth.", "Yes", "Children's Social Care"),
    ("14/06/2023", "11:00", "Postnatal ward midwife", "Discharge",
     "Mother and baby discharged home to Linden House. Safe sleep not discussed at discharge (ward busy).",
     "Discharge summary to GP and health visitor.", "Yes", "GP; Health visiting"),
    ("20/06/2023", "", "Community midwife", "Postnatal visit",
     "No reply at Linden House. Tracy Reid (grandmother) by phone: Kayleigh and baby staying 'at Connor's'.",
     "Discharged to health visitor.", "No", "Health visiting"),
]

# ---------------------------------------------------------------- health visiting (csv, own columns, profile)
HV_HEAD = ["Contact date", "Contact", "HV staff", "Record", "Plan / outcome", "Baby seen"]
HV = [
    ("05/05/2023", "Antenatal contact", "Health visitor",
     "Antenatal visit at Linden House: Kayleigh, 38 weeks. No cot or moses basket yet. Smoking.",
     "Smoking cessation advice. Safe sleep to be covered at new birth visit.", "N/A"),
    ("22/06/2023", "New birth visit", "Health visitor", "New birth visit: not at home, no reply.",
     "Card left; will rebook.", "N"),
    ("05/07/2023", "New birth visit", "Health visitor",
     "New birth visit (day 23) at Harcourt Road temporary accommodation (one room, B&B). Mason seen and weighed, "
     "3.4 kg. Safe sleep advice given: moses basket 'at Nan's', baby sleeping in bed with mum. Not seen. EPDS 15.",
     "Safe sleep leaflet (Lullaby Trust). Mood: GP appointment advised. Will review sleeping arrangements next visit.",
     "Y"),
    ("w/c 24/07/2023", "Phone call", "Health visitor",
     "Phone call to mum: baby well, feeding formula. Connor 'back on the scene'.", "Visit at 8 weeks planned.",
     "N"),
    ("09/08/2023", "Home visit", "Health visitor",
     "Home visit: no answer at Harcourt Road.", "Letter left.", "N"),
    ("Aug 2023", "Core group", "Health visitor", "Attended core group (see social care record).", "", ""),
    ("30/08/2023", "Home visit", "Health visitor",
     "Mason seen, 5.1 kg. Room smelt of cannabis. Baby asleep on the sofa cushion.",
     "Advised baby to sleep on his back in own cot. Information shared with social worker.", "Y"),
    ("03/10/2023", "Transfer out", "Health visitor",
     "Family moved to Kelsham. Records transfer requested by Kelsham 0-19 service.",
     "Electronic records sent to Kelsham 0-19.", ""),
]

# ---------------------------------------------------------------- GP (docx table)
GP_HEAD = ["Date", "Clinician", "Type of contact", "Details", "Action", "Child seen"]
GP = [
    ("10/01/2023", "GP", "Surgery consultation",
     "Kayleigh, 17, positive pregnancy test, approx 21 weeks. Care leaver. Anxiety.",
     "Referred to midwifery for booking.", "n/a"),
    ("06/04/2023", "GP", "Letter received", "Letter from midwife: missed antenatal appointments.",
     "Filed.", "n/a"),
    ("26/06/2023", "Practice nurse", "Appointment", "Mother's postnatal check: did not attend.", "Filed.", "No"),
    ("07/08/2023", "GP", "Baby check", "Mason's 6-8 week check: was not brought.", "Rebooked.", "No"),
    ("21/08/2023", "Practice nurse", "Immunisation", "8-week immunisations: was not brought.",
     "Text reminder sent.", "No"),
    ("04/09/2023", "GP", "Surgery consultation",
     "Mason seen with mum for 6-8 week check (late, 12 weeks). Normal examination, weight 5.2 kg. Mum says Connor "
     "drinking heavily again.", "Immunisations given.", "Yes"),
    ("mid October 2023", "GP", "Notification",
     "Notification of the death of Mason Reid received from the child death review team.",
     "Records secured.", "n/a"),
]

# ---------------------------------------------------------------- police (csv ; delimited)
POL_HEAD = ["Date", "Time", "Role", "Type of contact", "Details", "Action taken", "Child seen", "Shared with"]
POL = [
    ("14/02/2023", "23:10", "Response officer", "Domestic incident",
     "Call from a neighbour at Linden House: shouting. Kayleigh Reid (17, 24 weeks pregnant) says Connor Doyle "
     "pushed her into a wall after drinking. He had left. DASH: medium risk.",
     "DASH completed. Domestic abuse notification to MASH.", "n/a", "Children's Social Care"),
    ("26/05/2023", "11:00", "MASH police officer", "Strategy discussion",
     "Strategy discussion (pre-birth) with social care and midwifery: section 47 enquiry agreed.",
     "Police checks on Connor Doyle shared: two previous DA incidents with an ex-partner.", "n/a",
     "Children's Social Care"),
    ("10/08/2023", "01:40", "Response officer", "Domestic incident",
     "Harcourt Road B&B: Connor Doyle drunk, shouting, punched a door. Mason (8 weeks) in the room, crying, seen by "
     "officers in his mother's arms. Kayleigh refused to give a statement. DASH: medium.",
     "Connor asked to leave. Notification to MASH.", "Yes", "Children's Social Care"),
    ("14/10/2023", "07:55", "Response officer", "Sudden death of a child",
     "Attended 12 Fenwick Close, Kelsham: 4-month-old Mason found unresponsive on the sofa where he had slept with "
     "his father after a house-warming party. Both parents had been drinking; cannabis and cocaine found. "
     "Ambulance conveyed to Kelsham Royal.",
     "Joint agency response; scene preserved; child death notification.", "No",
     "Kelsham Children's Services"),
    ("16/10/2023", "10:00", "Detective sergeant", "Strategy discussion",
     "Strategy discussion after Mason's death (sibling none). Joint agency response review.",
     "Investigation continues.", "n/a", "Kelsham Children's Services"),
]

# ---------------------------------------------------------------- Westmoor CSC (xlsx, text & partial dates)
CSC_HEAD = ["Date", "Worker", "Type of contact", "Details of contact", "Outcome", "Child seen", "Seen alone",
            "Shared with"]
CSC = [
    ("15th February 2023", "MASH social worker", "Police notification",
     "Police notification of domestic incident 14/02/2023: pregnant 17-year-old care leaver pushed by partner.",
     "Passed to the leaving care personal adviser. No further action by MASH.", "", "", ""),
    ("21st February 2023", "MASH social worker", "Referral received",
     "Pre-birth referral from community midwife: late booking, domestic abuse, father's cocaine use, care leaver.",
     "For MASH screening.", "", "", ""),
    ("w/c 06/03/2023", "MASH team manager", "Referral decision",
     "Pre-birth referral screened: threshold met for a child and family assessment (pre-birth).",
     "Allocated to the assessment team.", "", "", ""),
    ("w/c 03/04/2023", "Social worker", "Assessment", "Pre-birth assessment started (delayed: allocation).",
     "Home visit booked.", "", "", ""),
    ("18/04/2023", "Social worker", "Home visit",
     "Visit to Kayleigh at Linden House. Connor not present; declined to engage by phone.",
     "Assessment continues. Father to be seen.", "n/a", "", ""),
    ("May 2023", "Social worker", "Assessment",
     "Pre-birth assessment completed: child in need plan; concerns neglect risk, domestic abuse, "
     "father's substance misuse. Father's risk not assessed (not seen).", "Child in need plan.", "", "", ""),
    ("26/05/2023", "Social worker", "Strategy discussion",
     "Strategy discussion with police and midwifery (health visitor not invited): further DA history of the father. "
     "Section 47 enquiry agreed.", "Initial child protection conference to be arranged.", "", "",
     "Police; Midwifery"),
    ("12/06/2023", "Social worker", "Phone call", "Midwife reports Mason born today.", "Visit after discharge.",
     "", "", ""),
    ("early June 2023", "Housing officer liaison", "Information received",
     "Housing: family evicted from Linden House, placed in temporary accommodation at Harcourt Road.", "Noted.",
     "", "", ""),
    ("03/07/2023", "Chair", "Initial child protection conference",
     "Initial child protection conference: Mason made subject of a child protection plan, category neglect. Concerns: "
     "domestic abuse, parental substance misuse, young care-leaver mother, unsuitable accommodation. Father did not "
     "attend; Pathways not invited.", "CP plan; core group within 10 working days.", "", "",
     "Health visiting; Police; GP; Midwifery"),
    ("13/07/2023", "Social worker", "Home visit", "Statutory visit. Mason seen asleep in the bed with mum.",
     "Advised cot.", "Yes", "No", ""),
    ("27/07/2023", "Social worker", "Core group", "First core group. Housing not present.", "Plan reviewed.",
     "", "", "Health visiting"),
    ("11th August 2023", "MASH social worker", "Police notification",
     "Police notification: DA incident 10/08/2023 at Harcourt Road, baby present.", "Sent to allocated social worker.",
     "", "", ""),
    ("24/08/2023", "Social worker", "Home visit",
     "Statutory visit: no reply.", "Will try again.", "No", "", ""),
    ("14/09/2023", "Social worker", "Home visit",
     "Statutory visit. Mason seen in a bouncer chair. Kayleigh says they are moving to Kelsham to be near Connor's "
     "family next week.", "Team manager informed.", "Yes", "No", ""),
    ("22/09/2023", "Social worker", "Case note", "Family moved to 12 Fenwick Close, Kelsham today.",
     "Transfer-in request to be sent to Kelsham.", "", "", ""),
    ("25/09/2023", "Team manager", "Transfer out",
     "Transfer-in notification sent to Kelsham Children's Services with the CP plan and chronology.",
     "Case remains open to Westmoor until transfer-in conference.", "", "", "Kelsham Children's Services"),
]

# ---------------------------------------------------------------- housing (ods)
HOU_HEAD = ["Date", "Officer", "Type of contact", "Details", "Action", "Child seen"]
HOU = [
    ("05/06/2023", "Housing options officer", "Homelessness assessment",
     "Kayleigh (18 today, care leaver) and newborn homeless: asked to leave Linden House by her mother Tracy.",
     "Temporary accommodation at Harcourt Road (one room, shared kitchen). No cot in the room.", "n/a"),
    ("12/09/2023", "Housing options officer", "Phone call",
     "Kayleigh says she will move in with Connor's aunt in Kelsham.", "Duty closed on moving out of area.", "No"),
]

# ---------------------------------------------------------------- substance misuse (father) (csv)
SMS_HEAD = ["Date", "Keyworker", "Type of contact", "Details", "Action", "Child seen"]
SMS = [
    ("02/03/2023", "Recovery worker", "Assessment",
     "Connor Doyle (23) self-referred: cocaine weekends, alcohol daily. Says partner is pregnant.",
     "Key work offered. Children in household: none recorded.", "n/a"),
    ("16/03/2023", "Recovery worker", "Appointment", "Did not attend.", "Rebooked.", "n/a"),
    ("Apr 2023", "Recovery worker", "Appointment", "Attended. Reports drinking less.", "Continue.", "n/a"),
    ("20/07/2023", "Recovery worker", "Appointment",
     "Attended. Positive for cocaine. Says baby born, lives 'on and off' with Kayleigh and the baby.",
     "Advised. No safeguarding referral.", "n/a"),
    ("03/08/2023", "Recovery worker", "Appointment", "Did not attend.", "Letter.", "n/a"),
    ("17/08/2023", "Recovery worker", "Appointment", "Did not attend.", "Letter.", "n/a"),
    ("05/09/2023", "Team leader", "Discharge",
     "Discharged for non-engagement.", "Discharge letter to GP.", "n/a"),
]

# ---------------------------------------------------------------- Kelsham CSC (xlsx)
KEL_HEAD = ["Date", "Worker", "Type of contact", "Details of contact", "Outcome", "Child seen"]
KEL = [
    ("26/09/2023", "Kelsham MASH social worker", "Transfer in",
     "Notification of transfer received from Westmoor: Mason Reid (3 months) subject to a CP plan (neglect), moved "
     "into the area on 22/09/2023.", "Passed to the child protection conference unit.", ""),
    ("05/10/2023", "Conference coordinator", "Case note",
     "Transfer-in conference booked for 19/10/2023 (first chair availability).", "Invitations sent.", ""),
    ("14/10/2023", "Emergency duty team", "Notification",
     "Police report the sudden unexpected death of Mason at 12 Fenwick Close.", "Strategy discussion arranged.",
     "No"),
    ("19/10/2023", "Conference coordinator", "Case note",
     "Transfer-in conference cancelled following Mason's death.", "Closed to CP unit.", ""),
]

# ---------------------------------------------------------------- Kelsham Royal ED (csv)
ED_HEAD = ["Arrival date", "Arrival time", "Clinician", "Type of contact", "Summary", "Outcome", "Child seen"]
ED = [
    ("14/10/2023", "08:20", "ED consultant", "A&E attendance",
     "Mason (4 months) brought in by ambulance in cardiac arrest after being found unresponsive on a sofa where he "
     "had been sleeping with his father. Resuscitation unsuccessful; pronounced dead 08:52. No injuries seen. "
     "Sudden unexpected death in infancy.", "Police and child death review team informed. SUDI protocol started.",
     "Yes"),
]


def write_xlsx(path, title, head, rows, merge_dates=False, sheet="Chronology"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.append(["Prepared for the child safeguarding practice review. Synthetic data."])
    ws.append([])
    ws.append(head)
    start = ws.max_row + 1
    for r in rows:
        ws.append(list(r))
    if merge_dates:  # merge consecutive identical date cells, blanking the lower ones as Excel does
        i = start
        while i <= ws.max_row:
            j = i
            while j + 1 <= ws.max_row and ws.cell(j + 1, 1).value == ws.cell(i, 1).value:
                j += 1
            if j > i:
                for k in range(i + 1, j + 1):
                    ws.cell(k, 1).value = None
                ws.merge_cells(start_row=i, start_column=1, end_row=j, end_column=1)
            i = j + 1
    wb.properties.created = wb.properties.modified = pd.Timestamp("2023-11-01").to_pydatetime()
    wb.save(path)


def write_csv(path, head, rows, delimiter=",", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(head)
        w.writerows(rows)


def _freeze_zip(path):
    """Rewrite a zip container with fixed entry times, so that the generator is byte-deterministic."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in items:
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                import re
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2023-11-01T00:00:00Z", data)
            new = zipfile.ZipInfo(info.filename, date_time=(2023, 11, 1, 0, 0, 0))
            new.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(new, data)


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "profiles").mkdir(parents=True)
    (OUT / "case.yml").write_text(CASE_YML)
    (OUT / "vocab.yml").write_text(VOCAB)
    (OUT / "profiles" / "hv.yml").write_text(HV_PROFILE)
    write_xlsx(OUT / "westmoor_maternity.xlsx", "Westmoor Hospitals NHS Trust - maternity chronology for baby of "
               "Kayleigh REID", MW_HEAD, MW, merge_dates=True)
    write_csv(OUT / "health_visiting.csv", HV_HEAD, HV, encoding="cp1252")
    import docx
    d = docx.Document()
    d.add_paragraph("Ashby Road Surgery: chronology for Mason Reid (DOB 12/06/2023) and his mother.")
    t = d.add_table(rows=1, cols=len(GP_HEAD))
    for c, h in zip(t.rows[0].cells, GP_HEAD):
        c.text = h
    for r in GP:
        cells = t.add_row().cells
        for c, v in zip(cells, r):
            c.text = v
    d.core_properties.created = d.core_properties.modified = pd.Timestamp("2023-11-01").to_pydatetime()
    d.save(OUT / "gp_ashby_road.docx")
    write_csv(OUT / "police.csv", POL_HEAD, POL, delimiter=";", encoding="utf-8-sig")
    write_xlsx(OUT / "westmoor_csc.xlsx", "Westmoor Children's Social Care - chronology", CSC_HEAD, CSC)
    pd.DataFrame(HOU, columns=HOU_HEAD).to_excel(OUT / "housing.ods", engine="odf", index=False,
                                                 sheet_name="Housing")
    write_csv(OUT / "substance_misuse.csv", SMS_HEAD, SMS)
    write_xlsx(OUT / "kelsham_csc.xlsx", "Kelsham County Council Children's Services", KEL_HEAD, KEL)
    write_csv(OUT / "kelsham_royal_ed.csv", ED_HEAD, ED)
    for f in sorted(OUT.iterdir()):
        if f.suffix in (".xlsx", ".docx", ".ods"):
            _freeze_zip(f)
    n = sum(map(len, (MW, HV, GP, POL, CSC, HOU, SMS, KEL, ED)))
    print(f"wrote {OUT}: {n} rows")


if __name__ == "__main__":
    main()
