# Privacy: no contact name, phone number or e-mail address may reach a table or report.


rule privacy_scan:
    input:
        contacts="data/private/{study}/contacts.csv",
        files=scanned_files,
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
        folders=["data/processed/{study}", "results/{study}"],
    script:
        "../scripts/privacy_scan.py"
