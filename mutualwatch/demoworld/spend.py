"""Council "spend over £500" files, in the layout of Oxford City Council's.

Every payment pays for a contract in the world's procurement notices, so a payment's supplier
can be traced to its company through the ground truth.
"""

import csv
import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mutualwatch.demoworld.authorities import Authority
from mutualwatch.demoworld.names import name_variant
from mutualwatch.demoworld.parameters import CENSUS_DATE, OCDS_START
from mutualwatch.demoworld.procurement import SERVICE_NAMES, Procurement

SPEND_HEADER = [
    "Client",
    "Service Area",
    "Expenditure Category",
    "Expenditure Code",
    "Paid Date",
    "Trans No",
    "Amount",
    "Type of Expenditure",
    "Supplier ID",
    "Supplier Name",
]
# Publication threshold: payments below it are not published.
THRESHOLD = 500
EXPENDITURE = {
    "goods": ("Materials", "D3021", "Revenue"),
    "works": ("Capital Works", "C1001", "Capital"),
    "services": ("General Contracted Services", "D3401", "Revenue"),
}


@dataclass(frozen=True)
class Payment:
    paid_on: datetime.date
    amount: float
    service_area: str
    category: str
    company: str
    company_name: str


@dataclass(frozen=True)
class Vendor:
    """A supplier as a council's finance system knows it: its own number and spelling."""

    supplier_id: str
    name: str


def client_code(authority: Authority) -> str:
    """A council's short code in its finance system, as Oxford's `OCC`."""
    return f"{authority.place[:2].upper()}C"


def format_amount(amount: float) -> str:
    """Amounts as Oxford writes them: `1140`, `834.29`, no thousands separators."""
    text = f"{amount:.2f}"
    return text.removesuffix(".00")


def payments_for(rng: random.Random, procurement: Procurement) -> list[Payment]:
    """The payments a council made under one contract: quarterly for a service arrangement,
    a few instalments for an everyday purchase. Only payments inside the publication window."""
    assert procurement.supplier is not None
    assert procurement.contract_start is not None
    assert procurement.contract_end is not None
    company = procurement.supplier.company
    start, end = procurement.contract_start, min(procurement.contract_end, CENSUS_DATE)
    if end < start:
        return []
    days = end.toordinal() - start.toordinal() + 1
    if procurement.kind == "arrangement":
        count = max(1, days // 91)
        service, category = SERVICE_NAMES[procurement.service_area], "services"
    else:
        count = rng.randint(1, 4)
        service, category = "General Fund", "goods"
        if procurement.releases:
            tender = next((r["tender"] for r in procurement.releases if "tender" in r), None)
            if tender and "mainProcurementCategory" in tender:
                category = tender["mainProcurementCategory"]
    share = procurement.value / count
    payments = []
    for number in range(count):
        day = datetime.date.fromordinal(start.toordinal() + days * number // count)
        amount = round(share * rng.uniform(0.8, 1.2), 2)
        if day >= OCDS_START and amount >= THRESHOLD:
            payments.append(Payment(day, amount, service, category, company.key, company.name))
    return payments


class SpendLedger:
    """One council's published payments and its vendor records."""

    def __init__(self, authority: Authority, rng: random.Random) -> None:
        self.authority = authority
        self.rng = rng
        self.vendors: dict[str, Vendor] = {}
        self.next_vendor = 20_000_000
        self.payments: list[Payment] = []

    def vendor(self, company_key: str, company_name: str) -> Vendor:
        """The council's vendor record for a company, created the first time it is paid."""
        if company_key not in self.vendors:
            self.next_vendor += self.rng.randint(1, 97)
            name = company_name.upper()
            if self.rng.random() < 0.4:
                name = name_variant(company_name, self.rng).upper()
            self.vendors[company_key] = Vendor(str(self.next_vendor), name)
        return self.vendors[company_key]

    def add(self, procurement: Procurement) -> None:
        self.payments.extend(payments_for(self.rng, procurement))

    def rows_by_year(self) -> Iterable[tuple[int, list[list[str]]]]:
        """Rows for each year's file, in payment order."""
        ordered = sorted(self.payments, key=lambda p: (p.paid_on, p.company, p.amount))
        by_year: dict[int, list[list[str]]] = {}
        for transaction, payment in enumerate(ordered, start=1):
            vendor = self.vendor(payment.company, payment.company_name)
            category, code, kind = EXPENDITURE[payment.category]
            by_year.setdefault(payment.paid_on.year, []).append(
                [
                    client_code(self.authority),
                    payment.service_area,
                    category,
                    code,
                    payment.paid_on.strftime("%d/%m/%Y"),
                    f"{4_000_000 + transaction} - {transaction % 3}",
                    format_amount(payment.amount),
                    kind,
                    vendor.supplier_id,
                    vendor.name,
                ]
            )
        yield from sorted(by_year.items())


def write_spend_files(ledger: SpendLedger, folder: Path) -> int:
    """Write one CSV per calendar year; returns the number of payments written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for year, rows in ledger.rows_by_year():
        path = folder / f"{ledger.authority.gss_code}-spend-over-500-{year}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(SPEND_HEADER)
            writer.writerows(rows)
        written += len(rows)
    return written
