"""A county's own mapping: a survey tool's export (+ an interview coding sheet) → that county's report.

* `errors`   — the domain errors (file, row, column, value, as everywhere in analysis.input_errors);
* `export`   — reading survey exports as Microsoft Forms, Google Forms, Esmaker, Netigate write them;
* `codebook` — the draft survey codebook inferred from an export, and reading it back;
* `coding`   — interview coding sheets: the two-header-row matrix and the theme-cell layout;
* `config`   — the mapping config (mappings/<slug>/config.yml);
* `new`      — `make new-mapping`: config + draft codebook + proposed comparisons;
* `compute`  — the county's tables (response, totals, breakdowns, coding, comparisons, change);
* `present`  — figures, tables and text of the county report, from the computed tables only.
"""
