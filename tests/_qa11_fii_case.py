# (s21) A copy of the QA11 generator (/tmp/s21/qa11/make_case.py, read-only there): tests/test_fii_s21.py runs it
# into tmp_path. Not collected by pytest (leading underscore).
"""Synthetic QA case (s21 qa11): "Poppy Marsh", perplexing presentations / fabricated or induced illness across
four NHS trusts. Everything is invented. Deterministic: python make_case.py [OUT_DIR]"""
import csv, datetime as dt, io, re, sys, zipfile
from pathlib import Path
import yaml

FIXED = dt.datetime(2023, 7, 1, 9, 0, 0)
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "case"
D = lambda s: dt.datetime.strptime(s, "%d/%m/%Y").date()

# ---------------------------------------------------------------- files
GP = [  # Brookfield Surgery (csv, mixed UK date styles)
 ("05/10/2020", "10:20", "GP", "Appointment", "Mother reports Poppy vomiting after most meals and tummy pain for 3 months, 'can't keep anything down'. Poppy chatty and well, abdomen soft, weight 20.1 kg (50th centile).", "Reassured. Food diary. Review 4 weeks.", "Yes", ""),
 ("2/11/20", "09:10", "GP", "Appointment", "Mother reports ongoing vomiting, now 'blood in the sick' (seen at Ashworth ED 19/10, all normal). Food diary not brought. Mother requests a paediatric referral.", "Referral to Ashworth General paediatrics.", "Yes", "Ashworth General Hospital"),
 ("22.03.2021", "11:40", "GP", "Appointment", "Mother unhappy with Ashworth discharge; says Poppy still vomiting daily and losing weight. Weight 21.0 kg (50th centile). Mother asks for a second opinion at Thornbury.", "Referral to Thornbury Children's Hospital gastroenterology.", "Yes", "Thornbury Children's Hospital"),
 ("17-May-2021", "16:00", "GP", "Telephone consultation", "Mother reports Poppy had three seizures last week; ambulance called 10/05. Letter from Kingsmere ED: no seizure witnessed, examination normal.", "Advised to video any episodes. Referral to community paediatrics for fatigue and funny turns.", "No", "Westvale Community Paediatrics"),
 ("06/12/2021", "", "Admin", "Letter", "Discharge summary from Kingsmere Royal Infirmary: admitted 22-25/11/2021 with reported food refusal; ate well on the ward, weight stable. Clinic follow-up 06/12/2021.", "Filed.", "", ""),
 ("31/01/2022", "12:30", "GP", "Telephone consultation", "Letter from Thornbury: NG tube inserted 24/01/2022 for a home feeding trial. Mother requests prescription for feeds.", "Prescription issued.", "No", ""),
 ("14/03/2022", "13:15", "GP", "Telephone", "Call from social worker about a school referral. GP: Poppy has complex gut problems under Thornbury, mother very engaged and attends all appointments.", "Information given to social care.", "No", "Westvale Children's Social Care"),
 ("10/10/2022", "10:00", "GP", "Appointment", "Mother requests a letter of support for a wheelchair and a blue badge; reports Poppy cannot walk more than 100 m because of fatigue and joint pain. Poppy walked into the room unaided, skipping.", "Letter of support written.", "Yes", ""),
 ("27/03/2023", "", "Admin", "Letter", "Letter from Westvale community paediatrics: Poppy not brought to appointments on 06/03/2023 and 20/03/2023; discharged back to GP.", "Filed.", "", ""),
 ("18/04/2023", "14:00", "GP", "Strategy discussion", "Strategy discussion (social care, police, Ashworth paediatrician, GP) about Poppy Marsh: section 47 enquiry agreed, suspected fabricated or induced illness.", "GP to provide full records to social care.", "", "Westvale Children's Social Care"),
]

ASH = [  # Ashworth General Hospital (xlsx, title row merged, same-day date cells merged)
 ("19/10/2020", "21:40", "Emergency department", "ED doctor", "A&E attendance", "Mother reports Poppy vomited 'pink' after tea, ?haematemesis. Poppy running around the cubicle. Obs normal, abdomen soft, no blood seen. Hb 128.", "Discharged. GP follow-up.", "Y", "Brookfield Surgery"),
 ("07/12/2020", "14:00", "Paediatrics", "Consultant paediatrician", "Outpatient appointment", "GP referral: vomiting and tummy pain. Mother reports weight loss and vomiting 6-8 times a day. Weight 20.3 kg (50th centile), height 50th. Examination normal.", "Bloods, coeliac screen, abdominal ultrasound. Review 3 months.", "Y", "Brookfield Surgery"),
 ("11/01/2021", "", "Paediatrics", "Consultant paediatrician", "Results", "FBC, U&E, LFT, coeliac screen and abdominal ultrasound all normal.", "Letter to GP and mother.", "", "Brookfield Surgery"),
 ("08/03/2021", "10:30", "Paediatrics", "Consultant paediatrician", "Outpatient appointment", "Mother reports vomiting continues daily. Poppy well and cheerful, ate crisps and a banana in the waiting room, no vomiting. Weight 20.9 kg (50th centile).", "Functional abdominal pain. Discharged to GP.", "Y", "Brookfield Surgery"),
 ("04/04/2022", "18:15", "Emergency department", "ED doctor", "A&E attendance", "NG tube dislodged (third time this month, per mother). Tube replaced, position checked by pH. Mother reports Poppy 'vomits every feed'; no vomiting in 3 hours in the department.", "Discharged. Advised to contact the Thornbury team.", "Y", "Thornbury Children's Hospital"),
 ("04/04/2022", "21:00", "Emergency department", "Safeguarding liaison nurse", "Safeguarding note", "ED safeguarding checklist completed for the attendance: no concerns identified.", "None.", "", ""),
 ("21/05/2022", "07:55", "Emergency department", "ED doctor", "A&E attendance", "Brought by ambulance: mother reports a choking episode, Poppy 'went blue' at home. On arrival alert, obs normal, sats 99%. No episode witnessed.", "Discharged with safety-net advice.", "Y", ""),
 ("12/04/2023", "16:30", "Emergency department", "Paediatric registrar", "A&E attendance", "Gastrostomy site redness. Poppy says her tummy 'doesn't hurt' and she is hungry; ate a sandwich in the department. Summary care record: 15 ED attendances across 3 trusts in 30 months, NG tube then gastrostomy, all investigations normal.", "Discussed with named doctor; referral to children's social care for suspected fabricated or induced illness. Admitted.", "Y", "Westvale Children's Social Care; Brookfield Surgery"),
 ("12/04/2023", "19:00", "Paediatrics", "Paediatric registrar", "Admission", "Admitted for observation of feeding: Poppy ate all meals orally, no vomiting observed over 48 hours, gastrostomy not used.", "Responsible paediatrician to compile a health chronology from all trusts.", "Y", ""),
 ("18/04/2023", "14:00", "Paediatrics", "Consultant paediatrician", "Strategy discussion", "Strategy discussion (social care, police, Ashworth paediatrician, GP) about Poppy Marsh: section 47 enquiry agreed, suspected fabricated or induced illness.", "Poppy to stay on the ward pending the enquiry.", "", "Westvale Children's Social Care"),
]

KRI = [  # Kingsmere Royal Infirmary (ods; date-valued cells, one text date)
 (D("15/02/2021"), "11:10", "ED doctor", "A&E attendance", "Mother reports Poppy fainted at home and 'blood in her poo' for a week. No mention of previous investigations. Obs normal, lying and standing BP normal, stool negative for blood.", "Discharged to GP.", "Yes", "Brookfield Surgery"),
 (D("10/05/2021"), "08:30", "ED doctor", "A&E attendance", "Conveyed by ambulance: mother reports 3 seizures this week, one today lasting 5 minutes. Poppy alert and chatting, neurological examination normal. No episode witnessed.", "Discharged; video any episodes; GP to refer if recurs.", "Yes", "Brookfield Surgery"),
 (D("22/11/2021"), "13:00", "Paediatric ward", "Admission", "Admitted on mother's report that Poppy has eaten nothing for 5 days and vomits all fluids. Weight 22.4 kg (50th centile), not dehydrated. On the ward Poppy ate all meals and snacks; no vomiting observed in 72 hours.", "Discharged 25/11/2021.", "Yes", ""),
 (D("25/11/2021"), "16:00", "Consultant paediatrician (Dr Farrant)", "Ward round", "Perplexing presentation: marked discrepancy between the symptoms mother reports and what staff observe; attendances at two other hospitals on the summary care record; mother asking about tube feeding. Possible fabricated or induced illness. Discussed with the trust's named doctor for safeguarding.", "Dr Farrant responsible paediatrician: to obtain records from Ashworth and Thornbury and write to the GP; clinic 06/12/2021 to discuss with mother. No referral to social care at this stage.", "Yes", "Named doctor for safeguarding (Kingsmere)"),
 (D("06/12/2021"), "09:30", "Consultant paediatrician (Dr Farrant)", "Outpatient appointment", "Poppy not brought. Mother phoned on the morning to cancel, after the letter said the consultant wished to discuss the differences between symptoms at home and in hospital.", "Rebooked 10/01/2022.", "No", ""),
 (D("10/01/2022"), "09:30", "Consultant paediatrician (Dr Farrant)", "Outpatient appointment", "Was not brought. No contact from mother.", "Discharged to GP under the was-not-brought policy.", "No", "Brookfield Surgery"),
 ("22 Aug 2022", "20:45", "ED doctor", "A&E attendance", "Mother reports NG tube blocked; tube flushed. Mother says Poppy is 'under Thornbury, no one here has helped'. Poppy says she feels fine.", "Discharged.", "Yes", ""),
]

TCH = [  # Thornbury Children's Hospital (docx template table, ordinal dates, no child seen column)
 ("14th June 2021", "10:00", "Consultant gastroenterologist", "Gastroenterology clinic. GP referral. Mother reports vomiting up to 10 times a day, blood in stools, fainting and weight loss. Poppy seen: weight 21.2 kg (48th centile), no red flags on examination. Mother did not mention previous Ashworth investigations.", "Plan OGD and colonoscopy with biopsies."),
 ("16th August 2021", "08:00", "Consultant gastroenterologist", "Day case: OGD and colonoscopy with biopsies under general anaesthetic: macroscopically normal; biopsies normal.", "Letter to GP."),
 ("10th January 2022", "11:00", "Consultant gastroenterologist", "Clinic: mother reports Poppy has stopped eating, weight loss, vomiting all feeds; requests tube feeding. Poppy seen, cheerful. Weight 22.0 kg (45th centile).", "Trial of nasogastric feeding at home agreed; NG tube to be placed 24/01/2022. Dietitian referral."),
 ("24th January 2022", "09:00", "Gastroenterology nurse specialist", "Day case: NG tube inserted; mother trained in feeding.", "Home feeding plan; community nursing and school nurse informed."),
 ("13th June 2022", "14:00", "Consultant gastroenterologist", "Clinic: mother reports Poppy vomits NG feeds and keeps pulling the tube out; requests a gastrostomy. Weight 23.0 kg (50th centile).", "Listed for gastrostomy; surgical MDT."),
 ("5th December 2022", "10:00", "Pre-assessment nurse", "Pre-operative assessment: weight 24.5 kg (55th centile). Surgeon queried the indication; Poppy told the nurse 'I eat my lunch at school'.", "MDT 09/01/2023."),
 ("9th January 2023", "13:00", "Consultant gastroenterologist", "Surgical and gastroenterology MDT: indication for gastrostomy is mother's report of intolerance of oral and NG feeds. No records requested from other hospitals.", "Proceed with gastrostomy."),
 ("6th February 2023", "08:30", "Paediatric surgeon", "Laparoscopic gastrostomy inserted.", "Discharged 08/02/2023 home with feeding plan."),
]

CP = [  # Westvale Community Paediatrics (xls sheet 1, own headers -> profile)
 (D("13/09/2021"), "Community paediatrician", "GP referral re fatigue and funny turns. Mother reports Poppy cannot walk far, joint pains, seizures. Poppy ran down the corridor and climbed on the couch; examination normal, Beighton 2/9.", "EEG if episodes videoed. Review 3 months.", "Yes"),
 (D("13/12/2021"), "Community paediatrician", "Not brought. Mother phoned: Poppy 'in hospital at Kingsmere'.", "Rebooked.", "No"),
 (D("12/09/2022"), "Community paediatrician (Dr Shah)", "Seen with mother. Mother reports daily vomiting, NG feeds, seizures, fatigue; requests a wheelchair. Poppy walked and ran normally. Pattern of reported symptoms not observed by any clinician; mother declined consent to contact Kingsmere and Thornbury.", "Dr Shah to discuss with named doctor. Review 6 months.", "Yes"),
 (D("06/03/2023"), "Community paediatrician (Dr Shah)", "Not brought. The appointment letter had said Dr Shah wished to hold a professionals' meeting.", "Rebooked 20/03/2023.", "No"),
 (D("20/03/2023"), "Community paediatrician (Dr Shah)", "Not brought.", "Discharged to GP (not brought twice).", "No"),
]

SN = [  # Westvale School Nursing (xls sheet 2, generic headers)
 ("26/04/2021", "School nurse", "Health care plan meeting", "Mother requests an individual healthcare plan for severe reflux, food intolerances and fainting. Staff report Poppy eats a full lunch; no vomiting or fainting ever seen in school.", "IHP written from mother's account.", "Yes", ""),
 ("07/02/2022", "School nurse", "School visit", "NG tube training for school staff. Poppy said she does not need the tube and eats her lunch; asked if it could be taken out.", "Advised school to follow the Thornbury plan. Phoned GP.", "Yes", "Brookfield Surgery"),
 ("21/11/2022", "School nurse", "Health review", "Health review for attendance of 64%. Mother said Poppy's brother Alfie had NG feeding and seizures aged 3-5, treated at Kingsmere, 'now grown out of it'. Poppy well, weight 50th centile.", "No further action; attendance advice.", "Yes", ""),
]

SCH = [  # Hazelmere Primary School (xlsx, title row merged, partial and term dates)
 ("Nov 2020", "Attendance officer", "Attendance", "Mother phones most Mondays reporting Poppy 'up all night vomiting'. Autumn term attendance 81%.", "Monitor.", ""),
 ("Summer term 2021", "Attendance officer", "Attendance", "Attendance 71%: absences recorded as medical (appointments, vomiting, fainting). No vomiting or fainting ever seen in school.", "Letter to mother.", ""),
 ("18/11/2021", "Class teacher", "Concern", "Poppy told her teacher 'I feel fine at school, mummy says I'm poorly'. Ate all of her lunch.", "Logged on CPOMS; DSL informed.", "Yes"),
 ("08/03/2022", "DSL", "Referral", "Attendance 62% this year; absences for illnesses staff never see; NG tube fitted although Poppy eats well at school.", "Referral to Westvale Children's Social Care (MASH).", "Yes"),
 ("21/03/2022", "DSL", "Phone call", "Social care phoned: case closed, 'mother is a caring parent'. DSL not asked for a view before the closure.", "DSL to monitor attendance.", ""),
 ("Jul 2022", "Attendance officer", "Attendance", "Summer term attendance 66%; absent 10 days in a row 04-15/07/2022, mother not answering the phone.", "Police welfare check requested 14/07/2022.", ""),
 ("14/11/2022", "Class teacher", "Concern", "Poppy said 'I feel well at school, I only feel sick at home when mummy says'.", "Logged; DSL informed; no referral as the previous referral was closed.", "Yes"),
 ("Autumn term 2022", "Attendance officer", "Attendance", "Autumn term attendance 69%.", "Attendance panel letter.", ""),
 ("01/03/2023", "Class teacher", "Concern", "Poppy back in school with a gastrostomy; says she does not use it at school and eats her lunch.", "Logged.", "Yes"),
]

CSC = [  # Westvale Children's Social Care (xlsx, text dates, partial dates)
 ("9th March 2022", "MASH social worker", "Contact", "Referral from Hazelmere Primary DSL: attendance 62%, mother reports illnesses school never sees, NG tube fitted although Poppy eats at school.", "MASH screening: checks with GP.", "", "", ""),
 ("Mar 2022", "MASH social worker", "Case note", "MASH checks with the GP only: GP says complex gut problems under Thornbury, mother very engaged. No checks with Ashworth, Kingsmere or Thornbury.", "Home visit.", "", "", ""),
 ("21st March 2022", "Social worker", "Home visit", "Home visit: Poppy seen with mother; mother articulate, describes Poppy's many conditions; home clean and warm.", "Closed, no further action: mother is a caring parent managing a child with complex health needs.", "", "Yes", "Hazelmere Primary School"),
 ("Sep 2016", "Duty social worker", "Historic record", "Alfie Marsh (aged 5, brother): referral from Kingsmere about repeated admissions for vomiting and seizures with no cause found.", "Closed, no further action.", "", "", ""),
 ("12th April 2023", "MASH social worker", "Referral", "Referral from Ashworth General Hospital: suspected fabricated or induced illness; Poppy admitted for observation.", "Strategy discussion arranged for 18/04/2023.", "", "", ""),
 ("18th April 2023", "Team manager", "Strategy discussion", "Strategy discussion (social care, police, Ashworth paediatrician, GP) about Poppy Marsh: section 47 enquiry agreed, suspected fabricated or induced illness.", "Section 47 enquiry. Health chronology from all trusts requested.", "", "", "Westvale Police; Ashworth General Hospital; Brookfield Surgery"),
 ("9th May 2023", "Social worker", "Initial child protection conference", "Initial child protection conference: Poppy made subject of a child protection plan, category emotional abuse (fabricated or induced illness).", "Child protection plan.", "", "", "Brookfield Surgery; Ashworth General Hospital; Hazelmere Primary School"),
]

POL = [  # Westvale Police (csv ';' with BOM)
 ("14/07/2022", "15:20", "PC", "Concern for welfare", "Welfare check at the school's request: Poppy seen at home with mother, NG tube in place; mother said Poppy has been too ill for school. Poppy appeared well, playing on a tablet.", "No concerns. No further action.", "Yes", ""),
 ("18/04/2023", "14:00", "DC (CAIT)", "Strategy discussion", "Strategy discussion (social care, police, Ashworth paediatrician, GP) about Poppy Marsh: section 47 enquiry agreed, suspected fabricated or induced illness.", "Crime report raised.", "", "Westvale Children's Social Care"),
]

AMB = [  # Midshire Ambulance Service (csv, combined date/time)
 ("10/05/2021 07:42", "Paramedic", "999 call: mother reports Poppy 'unresponsive, fitting for 5 minutes'. On arrival Poppy sitting up, talking, obs normal, GCS 15.", "Conveyed to Kingsmere ED at mother's insistence.", "Kingsmere Royal Infirmary"),
 ("21/05/2022 07:20", "Paramedic", "999 call: mother reports choking, Poppy 'went blue'. On arrival Poppy well, sats 99%.", "Conveyed to Ashworth ED.", "Ashworth General Hospital"),
 ("03/10/2022 19:05", "Paramedic", "999 call: mother reports a collapse. Poppy alert, obs normal, asking for her tea.", "Not conveyed; advice given; GP informed.", "Brookfield Surgery"),
]


def fix_zip(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(modified|created)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>2023-07-01T09:00:00Z\g<3>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            out.writestr(zi, data)
    path.write_bytes(buf.getvalue())


def wb_meta(wb):
    wb.properties.creator = wb.properties.lastModifiedBy = "qa11"
    wb.properties.created = wb.properties.modified = FIXED


def write_gp(p):
    buf = io.StringIO(); w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Date", "Time", "Clinician", "Type of contact", "Consultation notes", "Action taken", "Child seen", "Shared with"])
    w.writerows(GP)
    p.write_bytes(buf.getvalue().encode("cp1252"))


def write_ash(p):
    from openpyxl import Workbook
    from openpyxl.styles import Font, Alignment
    wb = Workbook(); ws = wb.active; ws.title = "ED and paediatrics"
    ws["A1"] = "Ashworth General Hospital NHS Trust - chronology for Poppy MARSH (DOB 03/11/2015) - ED and paediatrics"
    ws["A1"].font = Font(bold=True); ws.merge_cells("A1:I1")
    ws.append(["Date", "Time", "Department", "Clinician", "Type of contact", "Summary", "Outcome", "Child seen", "Shared with"])
    r = 3; i = 0
    while i < len(ASH):
        same = [e for e in ASH[i:] if e[0] == ASH[i][0]]
        first = r
        for k, e in enumerate(same):
            d = dt.datetime.strptime(e[0], "%d/%m/%Y")
            ws.cell(r, 1, d if k == 0 else None).number_format = "dd/mm/yyyy"
            if e[1]:
                h, m = map(int, e[1].split(":")); ws.cell(r, 2, dt.time(h, m)).number_format = "hh:mm"
            for c, v in enumerate(e[2:], start=3):
                ws.cell(r, c, v or None)
            r += 1
        if len(same) > 1:
            ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
            ws.cell(first, 1).alignment = Alignment(vertical="top")
        i += len(same)
    wb_meta(wb); wb.save(p); fix_zip(p)


def write_kri(p):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    doc = OpenDocumentSpreadsheet(); doc.meta.childNodes[:] = []
    t = Table(name="Kingsmere chronology")
    def row(vals):
        tr = TableRow()
        for v in vals:
            if isinstance(v, dt.date):
                c = TableCell(valuetype="date", datevalue=v.isoformat()); c.addElement(P(text=v.strftime("%d/%m/%Y")))
            elif v in ("", None):
                c = TableCell()
            else:
                c = TableCell(valuetype="string"); c.addElement(P(text=str(v)))
            tr.addElement(c)
        t.addElement(tr)
    row(["Date of contact", "Time", "Role", "Type of contact", "Event", "Action taken", "Child seen", "Information shared with"])
    for e in KRI:
        row(list(e))
    doc.spreadsheet.addElement(t); doc.save(str(p)); fix_zip(p)


def write_tch(p):
    import docx
    d = docx.Document()
    cp = d.core_properties; cp.author = "qa11"; cp.created = cp.modified = FIXED; cp.last_modified_by = "qa11"; cp.revision = 1
    d.add_heading("Thornbury Children's Hospital NHS Foundation Trust - gastroenterology chronology", level=1)
    d.add_paragraph("Child: Poppy Marsh (DOB 03/11/2015). Prepared from the gastroenterology and surgical records.")
    header = ["Start Date", "Start Time", "End Date", "End Time", "Sequence", "Source of Information", "Details", "Outcome"]
    parts = [TCH[:5], TCH[5:]]
    seq = 0
    for n, part in enumerate(parts):
        if n:
            d.add_paragraph("Chronology continued.")
        t = d.add_table(rows=1, cols=len(header)); t.style = "Table Grid"
        for c, h in zip(t.rows[0].cells, header):
            c.text = h
        for e in part:
            seq += 1
            for c, v in zip(t.add_row().cells, [e[0], e[1], "", "", str(seq), e[2], e[3], e[4]]):
                c.text = v
    d.save(str(p)); fix_zip(p)


def write_wch(p):
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    bold = xlwt.easyxf("font: bold on"); ds = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    ws = wb.add_sheet("Community paediatrics")
    for c, h in enumerate(["Appt date", "Clinician", "Clinic notes", "Plan", "Attended"]):
        ws.write(0, c, h, bold)
    for r, e in enumerate(CP, start=1):
        ws.write(r, 0, dt.datetime.combine(e[0], dt.time()), ds)
        for c, v in enumerate(e[1:], start=1):
            ws.write(r, c, v)
    ws2 = wb.add_sheet("School nursing")
    for c, h in enumerate(["Date", "Practitioner", "Type of contact", "Details", "Action", "Child seen", "Shared with"]):
        ws2.write(0, c, h, bold)
    for r, e in enumerate(SN, start=1):
        for c, v in enumerate(e):
            ws2.write(r, c, v)
    buf = io.BytesIO(); wb.save(buf); p.write_bytes(buf.getvalue())


def write_sch(p):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook(); ws = wb.active; ws.title = "Safeguarding log"
    ws["A1"] = "Hazelmere Primary School - safeguarding and attendance log: Poppy Marsh (Year 2/3)"
    ws["A1"].font = Font(bold=True, size=12); ws.merge_cells("A1:F1")
    ws["A2"] = "Prepared by the DSL for the review. Attendance figures are per term."; ws.merge_cells("A2:F2")
    ws.append([])
    ws.append(["Date", "Staff member", "Type of contact", "Details", "Action", "Child seen"])
    for e in SCH:
        ws.append([v or None for v in e])
    wb_meta(wb); wb.save(p); fix_zip(p)


def write_csc(p):
    from openpyxl import Workbook
    wb = Workbook(); ws = wb.active; ws.title = "Chronology"
    ws.append(["Date", "Worker", "Type of contact", "Details of contact", "Outcome", "Analysis", "Child seen", "Shared with"])
    for e in CSC:
        ws.append([v or None for v in e])
    wb_meta(wb); wb.save(p); fix_zip(p)


def write_pol(p):
    buf = io.StringIO(); w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["Date", "Time", "Role", "Type of contact", "Details", "Action taken", "Child seen", "Shared with"])
    w.writerows(POL); p.write_bytes(buf.getvalue().encode("utf-8-sig"))


def write_amb(p):
    buf = io.StringIO(); w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Incident Date/Time", "Crew", "Details", "Disposal", "Shared with"])
    w.writerows(AMB); p.write_text(buf.getvalue(), encoding="utf-8")


FILES = [
    ("gp_brookfield_surgery.csv", "Brookfield Surgery", None, None, write_gp),
    ("ashworth_general_hospital.xlsx", "Ashworth General Hospital", None, None, write_ash),
    ("kingsmere_royal_infirmary.ods", "Kingsmere Royal Infirmary", None, None, write_kri),
    ("thornbury_childrens_hospital.docx", "Thornbury Children's Hospital", None, None, write_tch),
    ("westvale_community_health.xls", "Westvale Community Paediatrics", ["Community paediatrics"], "cp", write_wch),
    ("westvale_community_health.xls", "Westvale School Nursing", ["School nursing"], None, None),
    ("hazelmere_primary_school.xlsx", "Hazelmere Primary School", None, None, write_sch),
    ("childrens_social_care.xlsx", "Westvale Children's Social Care", None, None, write_csc),
    ("police.csv", "Westvale Police", None, None, write_pol),
    ("ambulance.csv", "Midshire Ambulance Service", None, None, write_amb),
]

VOCAB = {"agencies": {
    "Brookfield Surgery": {"aliases": ["Brookfield", "GP", "GP surgery"], "kind": "health", "organisation": "Brookfield Surgery"},
    "Ashworth General Hospital": {"aliases": ["Ashworth", "Ashworth General", "Ashworth ED"], "kind": "health", "organisation": "Ashworth Hospitals NHS Trust"},
    "Kingsmere Royal Infirmary": {"aliases": ["Kingsmere", "Kingsmere ED", "Named doctor for safeguarding (Kingsmere)"], "kind": "health", "organisation": "Kingsmere NHS Foundation Trust"},
    "Thornbury Children's Hospital": {"aliases": ["Thornbury"], "kind": "health", "organisation": "Thornbury Children's NHS Foundation Trust"},
    "Westvale Community Paediatrics": {"aliases": ["Community paediatrics"], "kind": "health", "organisation": "Westvale Community Health NHS Trust"},
    "Westvale School Nursing": {"aliases": ["School nurse", "School nursing"], "kind": "health", "organisation": "Westvale Community Health NHS Trust"},
    "Hazelmere Primary School": {"aliases": ["Hazelmere Primary", "School"], "kind": "education", "organisation": "Hazelmere Primary School"},
    "Westvale Children's Social Care": {"aliases": ["Children's social care", "Social care", "MASH"], "kind": "social care", "organisation": "Westvale Council"},
    "Westvale Police": {"aliases": ["Police"], "kind": "police", "organisation": "Westvale Police"},
    "Midshire Ambulance Service": {"aliases": ["Ambulance"], "kind": "health", "organisation": "Midshire Ambulance Service NHS Trust"},
}}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "profiles").mkdir(exist_ok=True)
    entries = []
    for path, agency, sheets, profile, writer in FILES:
        if writer:
            writer(OUT / path)
        e = {"path": path, "agency": agency}
        if sheets: e["sheets"] = sheets
        if profile: e["profile"] = profile
        entries.append(e)
    case = {"case_id": "qa11_poppy", "child_name": "Poppy Marsh", "child_sex": "female", "date_of_birth": "2015-11-03",
            "review_date": "2023-06-30",
            "people": {"Poppy Marsh": "Child", "Kerry Marsh": "Mother", "Lee Marsh": "Father", "Alfie Marsh": "Brother"},
            "addresses": ["14 Linden Close"], "files": entries}
    (OUT / "case.yml").write_text("# Synthetic QA case (qa11). Invented.\n" + yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    (OUT / "vocab.yml").write_text(yaml.safe_dump(VOCAB, sort_keys=False), encoding="utf-8")
    (OUT / "profiles" / "cp.yml").write_text(yaml.safe_dump({"description": "Westvale community paediatrics clinic log", "columns": {
        "date": "Appt date", "role": "Clinician", "description": "Clinic notes", "action": "Plan", "child_seen": "Attended"}}), encoding="utf-8")
    n = len(GP) + len(ASH) + len(KRI) + len(TCH) + len(CP) + len(SN) + len(SCH) + len(CSC) + len(POL) + len(AMB)
    print(f"wrote {OUT}: {n} rows")


if __name__ == "__main__":
    main()
