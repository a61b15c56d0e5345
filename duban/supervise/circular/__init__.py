"""The monthly supervision circular (督查通报), as an office issues it: 版头 (masthead, 第N期,
the issuing office and the date in Chinese), title and 主送; 一、总体情况 against the month
before; 二、进展较好; 三、存在问题 naming the lagging units with their task numbers and titles,
the units that did not report on time and the escalation ladder; 四、下步要求 from plan.yaml;
附件 tables per task and per unit (lights, on-time rate, score, rank); 抄送/印发. The commit it
was built from is in the file's properties, not in its text (and on stderr).

Collectives (duban.units: 各相关涉改部门, 区26家签约单位) are no units: never ranked, counted,
named as late or lagging or asked to report; their tasks are named by number and followed up
by the office.

The document is built once as a list of blocks; Markdown, HTML (`rendering`) and .docx
(`docx`) only lay the same blocks out, so the three carry the same content. Every
number comes from the core: lights and lateness from `selection`, scores from `scoring`.
"""
