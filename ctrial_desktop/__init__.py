"""ctrial-desktop: offline eCRF for the IFM 2009-02 trial (NCT01053949)."""

__version__ = "0.1.0"
