"""Precomputed fates results: the pages read these and never compute."""

from django.db import models


class FatesResult(models.Model):
    """One run of the fates analysis over the published register.

    ``document`` is the analysis (``fates.analyse``), ``charts`` each chart by name as its
    Vega-Lite ``spec`` and static ``svg``, ``spells_csv`` the spells behind every figure.
    ``input_digest`` fingerprints the spells and cut-off, so that a run over unchanged data is
    not stored twice.
    """

    computed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    cut_off = models.DateField(help_text="The register's cut-off date: spells are censored here.")
    input_digest = models.CharField(max_length=64, db_index=True)
    spell_count = models.PositiveIntegerField()
    document = models.JSONField()
    charts = models.JSONField(default=dict)
    spells_csv = models.TextField()

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = ["computed_at", "pk"]

    def __str__(self) -> str:
        return f"Fates of {self.spell_count} spells to {self.cut_off}, computed {self.computed_at}"
