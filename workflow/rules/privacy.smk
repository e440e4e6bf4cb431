# Privacy: no identity number, phone number, e-mail address or contact person's name may reach a
# table or report. The scan checks every output of the study by pattern (and for the contacts'
# own values when the study has forms); report.html, made afterwards by `snakemake --report`, is
# checked by `medvirk privacy-scan` (make run calls it).


rule privacy_scan:
    input:
        files=scanned_files,
        contacts=private_contacts,
    output:
        scan=report(
            "results/{study}/privacy/leak_scan.txt",
            caption="../report/leak_scan.rst",
            category="Data",
        ),
    log:
        "results/{study}/logs/privacy_scan.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        report="results/{study}/report.html",
    script:
        "../scripts/privacy_scan.py"
