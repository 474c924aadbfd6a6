<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name></name>
    <message>
        <source>ScreeningDialog</source>
        <comment>Record a screen failure</comment>
        <translation>Enregistrer un échec de sélection</translation>
    </message>
    <message>
        <source>ScreeningDialog</source>
        <comment>{number} ({initials}) will be marked as a screen failure. The patient stays in the screening log with the reason, and can no longer be randomized.</comment>
        <translation>{number} ({initials}) sera enregistré comme échec de sélection. Le patient reste dans le registre de sélection avec le motif, et ne pourra plus être randomisé.</translation>
    </message>
    <message>
        <source>ScreeningDialog</source>
        <comment>Record &amp;screen failure</comment>
        <translation>Enregistrer l&apos;é&amp;chec de sélection</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About ctrial-desktop</source>
        <translation>À propos de ctrial-desktop</translation>
    </message>
    <message>
        <source>ctrial-desktop: electronic case report forms</source>
        <translation>ctrial-desktop&#xa0;: cahier d&apos;observation électronique</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version&#xa0;:</translation>
    </message>
    <message>
        <source>Study:</source>
        <translation>Étude&#xa0;:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Base de données&#xa0;:</translation>
    </message>
    <message>
        <source>Log folder:</source>
        <translation>Dossier des journaux&#xa0;:</translation>
    </message>
    <message>
        <source>Libraries:</source>
        <translation>Bibliothèques&#xa0;:</translation>
    </message>
</context>
<context>
    <name>AdminHome</name>
    <message>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
    <message>
        <source>Administrators manage user accounts, sites and settings. They do not see patient data: clinical work is done by the site staff, monitors and data managers.</source>
        <translation>Les administrateurs gèrent les comptes utilisateurs, les centres et les réglages. Ils ne voient pas les données des patients&#xa0;: le travail clinique est fait par l&apos;équipe des centres, les moniteurs et les data managers.</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Check the computer&apos;s clock: {message}. Dates and times recorded now may be wrong.</source>
        <extracomment>Builds the main window of a logged-in session. Main-window signal name -&gt; controller slot name.</extracomment>
        <translation>Vérifiez l&apos;horloge de l&apos;ordinateur&#xa0;: {message}. Les dates et heures enregistrées maintenant pourraient être fausses.</translation>
    </message>
    <message>
        <source>Clock warning</source>
        <translation>Alerte horloge</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>Building the demo trial…</source>
        <extracomment>Widget styles that belong to a desktop platform; anything else gets Fusion. Size of the demo trial the GUI builds on first use (about half a minute).</extracomment>
        <translation>Construction de l&apos;essai de démonstration…</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>Démonstration</translation>
    </message>
    <message>
        <source>Wrong passphrase, or the file is not an encrypted ctrial database. Try again.</source>
        <translation>Phrase secrète erronée, ou le fichier n’est pas une base ctrial chiffrée. Réessayez.</translation>
    </message>
    <message>
        <source>Invalid study definition</source>
        <translation>Définition d&apos;étude invalide</translation>
    </message>
    <message>
        <source>Cannot open the database</source>
        <translation>Impossible d&apos;ouvrir la base de données</translation>
    </message>
    <message>
        <source>The database cannot be opened and was left untouched: {reason}</source>
        <translation>La base de données ne peut pas être ouverte et n&apos;a pas été modifiée&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Cannot build the demo</source>
        <translation>Impossible de construire la démonstration</translation>
    </message>
</context>
<context>
    <name>CasebooksDialog</name>
    <message>
        <source>Casebooks of all patients</source>
        <translation>Cahiers d&apos;observation de tous les patients</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tous les centres</translation>
    </message>
    <message>
        <source>Replace casebooks already in the folder</source>
        <translation>Remplacer les cahiers déjà présents dans le dossier</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Dossier&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation>&amp;Centre&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <source>Pa&amp;per:</source>
        <translation>Pa&amp;pier&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Write casebooks</source>
        <translation>É&amp;crire les cahiers</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Patients: {count}</source>
        <translation>Patients&#xa0;: {count}</translation>
    </message>
    <message>
        <source>Folder for the casebooks</source>
        <translation>Dossier des cahiers d&apos;observation</translation>
    </message>
    <message>
        <source>Choose the folder for the casebooks.</source>
        <translation>Choisissez le dossier des cahiers d&apos;observation.</translation>
    </message>
    <message>
        <source>This is a file, not a folder.</source>
        <translation>C&apos;est un fichier, pas un dossier.</translation>
    </message>
    <message>
        <source>The folder above it does not exist: {folder}</source>
        <translation>Le dossier parent n&apos;existe pas&#xa0;: {folder}</translation>
    </message>
    <message>
        <source>The folder already holds casebooks ({file}); choose another folder or tick &quot;Replace&quot;.</source>
        <translation>Le dossier contient déjà des cahiers ({file})&#xa0;; choisissez un autre dossier ou cochez «&#xa0;Remplacer&#xa0;».</translation>
    </message>
    <message>
        <source>Patient {current} of {total}</source>
        <translation>Patient {current} sur {total}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Cancelled after {done} of {total} casebooks; the folder holds complete files only: {folder}</source>
        <translation>Annulé après {done} cahiers sur {total}&#xa0;; le dossier ne contient que des fichiers complets&#xa0;: {folder}</translation>
    </message>
    <message>
        <source>{done} casebooks ({pages} pages) written to {folder}</source>
        <translation>{done} cahiers ({pages} pages) écrits dans {folder}</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>The casebooks could not be written: {error}. The details are in the log file.</source>
        <translation>Les cahiers n&apos;ont pas pu être écrits&#xa0;: {error}. Les détails sont dans le fichier journal.</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>Changer de mot de passe</translation>
    </message>
    <message>
        <source>{name}, your password was set by an administrator. Choose your own password before you continue.</source>
        <translation>{name}, votre mot de passe a été défini par un administrateur. Choisissez votre propre mot de passe avant de continuer.</translation>
    </message>
    <message>
        <source>Change the password of {user}.</source>
        <translation>Changer le mot de passe de {user}.</translation>
    </message>
    <message>
        <source>C&amp;urrent password:</source>
        <translation>Mot de passe &amp;actuel&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>&amp;Nouveau mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>Con&amp;firm new password:</source>
        <translation>Con&amp;firmer le nouveau mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Change password</source>
        <translation>&amp;Changer le mot de passe</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe sont différents.</translation>
    </message>
</context>
<context>
    <name>ChangeReasonsDialog</name>
    <message>
        <source>&lt;b&gt;Field&lt;/b&gt;</source>
        <translation>&lt;b&gt;Champ&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Change&lt;/b&gt;</source>
        <translation>&lt;b&gt;Modification&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Reason&lt;/b&gt;</source>
        <translation>&lt;b&gt;Motif&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{old} → {new}</source>
        <translation>{old} → {new}</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(vide)</translation>
    </message>
    <message>
        <source>&amp;Reason for all changes:</source>
        <translation>&amp;Motif pour toutes les modifications&#xa0;:</translation>
    </message>
</context>
<context>
    <name>ClinicalSummaryPanel</name>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Visite</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Confirmation</source>
        <translation>Confirmation</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>Justification</translation>
    </message>
    <message>
        <source>Cycle</source>
        <translation>Cycle</translation>
    </message>
    <message>
        <source>Pomalidomide
delivered (mg)</source>
        <translation>Pomalidomide
administré (mg)</translation>
    </message>
    <message>
        <source>Pomalidomide
planned (mg)</source>
        <translation>Pomalidomide
prévu (mg)</translation>
    </message>
    <message>
        <source>Pomalidomide
RDI (%)</source>
        <translation>Pomalidomide
IDR (%)</translation>
    </message>
    <message>
        <source>Dexamethasone
delivered (mg)</source>
        <translation>Dexaméthasone
administrée (mg)</translation>
    </message>
    <message>
        <source>Dexamethasone
planned (mg)</source>
        <translation>Dexaméthasone
prévue (mg)</translation>
    </message>
    <message>
        <source>Dexamethasone
RDI (%)</source>
        <translation>Dexaméthasone
IDR (%)</translation>
    </message>
    <message>
        <source>Advice only — the investigator decides.</source>
        <translation>Simple proposition — l&apos;investigateur décide.</translation>
    </message>
    <message>
        <source>Drug</source>
        <translation>Médicament</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Next dose</source>
        <translation>Dose suivante</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Justification</translation>
    </message>
    <message>
        <source>Response (IMWG)</source>
        <translation>Réponse (IMWG)</translation>
    </message>
    <message>
        <source>Dose intensity</source>
        <translation>Intensité de dose</translation>
    </message>
    <message>
        <source>Dose advice</source>
        <translation>Proposition de dose</translation>
    </message>
    <message>
        <source>Error: {message}</source>
        <translation>Erreur&#xa0;: {message}</translation>
    </message>
    <message>
        <source>Best overall response: NE (not evaluable) — {why}.</source>
        <translation>Meilleure réponse globale&#xa0;: NE (non évaluable) — {why}.</translation>
    </message>
    <message>
        <source>no evaluable assessment</source>
        <translation>aucune évaluation interprétable</translation>
    </message>
    <message>
        <source>Best overall response: {response}, first reached on {date}.</source>
        <translation>Meilleure réponse globale&#xa0;: {response}, atteinte pour la première fois le {date}.</translation>
    </message>
    <message>
        <source>Progression on {date}.</source>
        <translation>Progression le {date}.</translation>
    </message>
    <message>
        <source>No progression.</source>
        <translation>Pas de progression.</translation>
    </message>
    <message>
        <source>not evaluable</source>
        <translation>non évaluable</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>confirmée</translation>
    </message>
    <message>
        <source>unconfirmed</source>
        <translation>non confirmée</translation>
    </message>
    <message>
        <source>No dosing form recorded yet.</source>
        <translation>Aucun formulaire d&apos;administration enregistré pour l&apos;instant.</translation>
    </message>
    <message>
        <source>All cycles</source>
        <translation>Tous les cycles</translation>
    </message>
    <message>
        <source>Give</source>
        <translation>Administrer</translation>
    </message>
    <message>
        <source>Reduce</source>
        <translation>Réduire</translation>
    </message>
    <message>
        <source>Delay</source>
        <translation>Différer</translation>
    </message>
    <message>
        <source>Interrupt</source>
        <translation>Interrompre</translation>
    </message>
    <message>
        <source>Discontinue</source>
        <translation>Arrêter définitivement</translation>
    </message>
    <message>
        <source>{dose} mg</source>
        <translation>{dose} mg</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>Latest haematology on {date}: neutrophils {anc} ×10⁹/L, platelets {plt} ×10⁹/L.</source>
        <translation>Dernière hématologie le {date}&#xa0;: neutrophiles {anc} ×10⁹/L, plaquettes {plt} ×10⁹/L.</translation>
    </message>
    <message>
        <source>No haematology recorded.</source>
        <translation>Aucune hématologie enregistrée.</translation>
    </message>
    <message>
        <source>{term} grade {grade}</source>
        <translation>{term} grade {grade}</translation>
    </message>
    <message>
        <source>Open adverse events: {events}.</source>
        <translation>Événements indésirables en cours&#xa0;: {events}.</translation>
    </message>
    <message>
        <source>No open adverse event.</source>
        <translation>Aucun événement indésirable en cours.</translation>
    </message>
    <message>
        <source>Arm {arm}, age {age}; current levels: pomalidomide {pom} mg, dexamethasone {dex} mg.</source>
        <translation>Bras {arm}, {age}&#xa0;ans&#xa0;; paliers actuels&#xa0;: pomalidomide {pom} mg, dexaméthasone {dex} mg.</translation>
    </message>
    <message>
        <source>Treatment ended on {date}: no dose advice.</source>
        <translation>Traitement terminé ({date})&#xa0;: pas de proposition de dose.</translation>
    </message>
    <message>
        <source>an unknown date</source>
        <translation>date inconnue</translation>
    </message>
    <message>
        <source>Pomalidomide</source>
        <translation>Pomalidomide</translation>
    </message>
    <message>
        <source>Dexamethasone</source>
        <translation>Dexaméthasone</translation>
    </message>
</context>
<context>
    <name>ComputedField</name>
    <message>
        <source>Calculated by the application</source>
        <translation>Calculé par l&apos;application</translation>
    </message>
</context>
<context>
    <name>DataManagerLockDialog</name>
    <message>
        <source>Only a data manager locks and unlocks data.</source>
        <translation>Seul un data manager verrouille et déverrouille les données.</translation>
    </message>
    <message>
        <source>Lock or unlock data</source>
        <translation>Verrouiller ou déverrouiller des données</translation>
    </message>
    <message>
        <source>Patient {number}: {locked} of {total} form(s) locked. A locked form is read-only; a locked patient gets no new forms.</source>
        <translation>Patient {number}&#xa0;: {locked} formulaire(s) verrouillé(s) sur {total}. Un formulaire verrouillé est en lecture seule&#xa0;; un patient verrouillé ne reçoit plus de nouveau formulaire.</translation>
    </message>
    <message>
        <source>A locked form is read-only; a locked patient gets no new forms.</source>
        <translation>Un formulaire verrouillé est en lecture seule&#xa0;; un patient verrouillé ne reçoit plus de nouveau formulaire.</translation>
    </message>
    <message>
        <source>The {count} selected form(s)</source>
        <translation>Le(s) {count} formulaire(s) sélectionné(s)</translation>
    </message>
    <message>
        <source>Every form of patient {number}</source>
        <translation>Tous les formulaires du patient {number}</translation>
    </message>
    <message>
        <source>Every patient of site {code}</source>
        <translation>Tous les patients du centre {code}</translation>
    </message>
    <message>
        <source>Scope:</source>
        <translation>Portée&#xa0;:</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Action&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Verrouiller</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <source>Why this change is made (audit trail)</source>
        <translation>Motif de cette modification (piste d&apos;audit)</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Appliquer</translation>
    </message>
</context>
<context>
    <name>DoseAdvicePanel</name>
    <message>
        <source>give</source>
        <translation>administrer</translation>
    </message>
    <message>
        <source>reduce</source>
        <translation>réduire</translation>
    </message>
    <message>
        <source>delay the cycle</source>
        <translation>reporter le cycle</translation>
    </message>
    <message>
        <source>interrupt</source>
        <translation>interrompre</translation>
    </message>
    <message>
        <source>discontinue</source>
        <translation>arrêter</translation>
    </message>
    <message>
        <source>pomalidomide</source>
        <translation>pomalidomide</translation>
    </message>
    <message>
        <source>dexamethasone</source>
        <translation>dexaméthasone</translation>
    </message>
    <message>
        <source>Dose advice for {drug}, cycle {cycle}</source>
        <translation>Conseil de dose&#xa0;: {drug}, cycle {cycle}</translation>
    </message>
    <message>
        <source>No advice: the treatment has ended.</source>
        <translation>Pas de conseil&#xa0;: le traitement est terminé.</translation>
    </message>
    <message>
        <source>{level} mg</source>
        <translation>{level} mg</translation>
    </message>
    <message>
        <source>no dose</source>
        <translation>pas de dose</translation>
    </message>
    <message>
        <source>Proposed: {action}, dose level {level}.</source>
        <translation>Proposition&#xa0;: {action}, palier de dose {level}.</translation>
    </message>
    <message>
        <source>Decision: advice accepted ({level}).</source>
        <translation>Décision&#xa0;: conseil accepté ({level}).</translation>
    </message>
    <message>
        <source>Decision: advice overridden, {level} given instead: {reason}</source>
        <translation>Décision&#xa0;: conseil non suivi, {level} administré(s) à la place&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>No decision yet.</source>
        <translation>Pas encore de décision.</translation>
    </message>
    <message>
        <source>&amp;Accept</source>
        <translation>&amp;Accepter</translation>
    </message>
    <message>
        <source>O&amp;verride…</source>
        <translation>Ne pas sui&amp;vre…</translation>
    </message>
</context>
<context>
    <name>EligibilityPanel</name>
    <message>
        <source>No.</source>
        <extracomment>Colours used only together with an icon and a word.</extracomment>
        <translation>N°</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>Critère</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Justification</translation>
    </message>
    <message>
        <source>Eligibility not evaluated yet.</source>
        <translation>Éligibilité pas encore évaluée.</translation>
    </message>
    <message>
        <source>✔ Eligible: every criterion is met ({count}).</source>
        <translation>✔ Éligible&#xa0;: tous les critères sont remplis ({count}).</translation>
    </message>
    <message>
        <source>✖ Not eligible yet: {not_met} not met, {missing} missing. The patient cannot be randomized until every criterion is met.</source>
        <translation>✖ Pas encore éligible&#xa0;: {not_met} non rempli(s), {missing} manquant(s). Le patient ne peut pas être randomisé tant que tous les critères ne sont pas remplis.</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>Rempli</translation>
    </message>
    <message>
        <source>Not applicable</source>
        <translation>Non applicable</translation>
    </message>
    <message>
        <source>Not met</source>
        <translation>Non rempli</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Manquant</translation>
    </message>
    <message>
        <source>Inclusion criterion</source>
        <translation>Critère d&apos;inclusion</translation>
    </message>
    <message>
        <source>Exclusion criterion</source>
        <translation>Critère de non-inclusion</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>Erreur inattendue</translation>
    </message>
    <message>
        <source>Sorry, something went wrong inside the application. Nothing you saved is lost and you can carry on working. The details were written to the log file below; please send it to your data manager.</source>
        <translation>Désolé, une erreur s&apos;est produite dans l&apos;application. Rien de ce que vous avez enregistré n&apos;est perdu et vous pouvez continuer à travailler. Les détails ont été écrits dans le fichier journal ci-dessous&#xa0;; merci de l&apos;envoyer à votre data manager.</translation>
    </message>
    <message>
        <source>Sorry, something went wrong inside the application. Nothing you saved is lost and you can carry on working.</source>
        <translation>Désolé, une erreur s&apos;est produite dans l&apos;application. Rien de ce que vous avez enregistré n&apos;est perdu et vous pouvez continuer à travailler.</translation>
    </message>
    <message>
        <source>&amp;Copy log path</source>
        <translation>&amp;Copier le chemin du journal</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export data</source>
        <translation>Exporter les données</translation>
    </message>
    <message>
        <source>CDISC ODM 1.3.2 (XML)</source>
        <translation>CDISC ODM 1.3.2 (XML)</translation>
    </message>
    <message>
        <source>CSV for statisticians (zip)</source>
        <translation>CSV pour les statisticiens (zip)</translation>
    </message>
    <message>
        <source>Audit trail (CSV)</source>
        <translation>Piste d’audit (CSV)</translation>
    </message>
    <message>
        <source>All my sites</source>
        <translation>Tous mes centres</translation>
    </message>
    <message>
        <source>Long: one row per value</source>
        <translation>Long&#xa0;: une ligne par valeur</translation>
    </message>
    <message>
        <source>Wide: one row per form</source>
        <translation>Large&#xa0;: une ligne par formulaire</translation>
    </message>
    <message>
        <source>&amp;Metadata only (no patient data)</source>
        <translation>&amp;Métadonnées seules (aucune donnée patient)</translation>
    </message>
    <message>
        <source>&amp;Export:</source>
        <translation>&amp;Export&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation>&amp;Centre&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Layout:</source>
        <translation>&amp;Disposition&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Fichier&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>E&amp;xporter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Ouvrir le dossier</translation>
    </message>
    <message>
        <source>The site&apos;s complete, independent copy: study metadata, users, sites, every value with its audit trail and the signatures (Archival=&quot;Yes&quot;). Validates against the ODM 1.3.2 schema.</source>
        <translation>La copie complète et indépendante du centre&#xa0;: métadonnées de l’étude, utilisateurs, centres, chaque valeur avec sa piste d’audit et les signatures (Archival=&quot;Yes&quot;). Conforme au schéma ODM 1.3.2.</translation>
    </message>
    <message>
        <source>One CSV file per form, a data dictionary and derived datasets (best response, progression and death, dose intensity, worst toxicity grade), in one zip file.</source>
        <translation>Un fichier CSV par formulaire, un dictionnaire des données et des jeux dérivés (meilleure réponse, progression et décès, intensité de dose, pire grade de toxicité), dans un fichier zip.</translation>
    </message>
    <message>
        <source>Every audit record with who, when, old and new value, reason, the review flags and the chain hashes, for audit-trail review outside the application.</source>
        <translation>Chaque enregistrement d’audit avec qui, quand, ancienne et nouvelle valeur, motif, les signalements de revue et les empreintes de la chaîne, pour revoir la piste d’audit hors de l’application.</translation>
    </message>
    <message>
        <source>Your role does not allow exporting data.</source>
        <translation>Votre rôle ne permet pas d’exporter des données.</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Exporter vers</translation>
    </message>
    <message>
        <source>Export file (*{suffix})</source>
        <translation>Fichier d’export (*{suffix})</translation>
    </message>
    <message>
        <source>Choose the file to write.</source>
        <translation>Choisissez le fichier à écrire.</translation>
    </message>
    <message>
        <source>{path} is a folder: give a file name.</source>
        <translation>{path} est un dossier&#xa0;: donnez un nom de fichier.</translation>
    </message>
    <message>
        <source>Writing {file}…</source>
        <translation>Écriture de {file}…</translation>
    </message>
    <message>
        <source>{subjects} patients, {values} values, {audit} audit records, {signatures} signatures</source>
        <translation>{subjects} patients, {values} valeurs, {audit} enregistrements d’audit, {signatures} signatures</translation>
    </message>
    <message>
        <source>{patients} patients, {forms} forms, {values} values</source>
        <translation>{patients} patients, {forms} formulaires, {values} valeurs</translation>
    </message>
    <message>
        <source>{audit} audit records</source>
        <translation>{audit} enregistrements d’audit</translation>
    </message>
    <message>
        <source>Written: {file} ({summary}).</source>
        <translation>Écrit&#xa0;: {file} ({summary}).</translation>
    </message>
    <message>
        <source>Cancelled: no file was written.</source>
        <translation>Annulé&#xa0;: aucun fichier n’a été écrit.</translation>
    </message>
    <message>
        <source>The file cannot be written: {reason}</source>
        <translation>Le fichier ne peut pas être écrit&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>The export failed: {error}. The details are in the log file.</source>
        <translation>L’export a échoué&#xa0;: {error}. Les détails sont dans le fichier journal.</translation>
    </message>
</context>
<context>
    <name>FieldMessage</name>
    <message>
        <source>Confirm value…</source>
        <extracomment>Colours of meaning, always doubled by an icon and a word.</extracomment>
        <translation>Confirmer la valeur…</translation>
    </message>
    <message>
        <source>Error: {text}</source>
        <translation>Erreur&#xa0;: {text}</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>Avertissement&#xa0;: {text}</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>First start: create the administrator</source>
        <translation>Premier démarrage&#xa0;: créer l&apos;administrateur</translation>
    </message>
    <message>
        <source>the study</source>
        <translation>l&apos;étude</translation>
    </message>
    <message>
        <source>Welcome. This database has no user yet. Create the first administrator account for {study}: the administrator then creates the sites and the other users. Keep this password safe.</source>
        <translation>Bienvenue. Cette base de données n&apos;a encore aucun utilisateur. Créez le premier compte administrateur pour {study}&#xa0;: l&apos;administrateur crée ensuite les centres et les autres utilisateurs. Conservez ce mot de passe en lieu sûr.</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Identifiant&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;First name:</source>
        <translation>&amp;Prénom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Last name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>Con&amp;firm password:</source>
        <translation>Con&amp;firmer le mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>e.g. mdurand</source>
        <translation>ex.&#xa0;: mdurand</translation>
    </message>
    <message>
        <source>&amp;Create administrator</source>
        <translation>&amp;Créer l&apos;administrateur</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe sont différents.</translation>
    </message>
</context>
<context>
    <name>FormEditor</name>
    <message>
        <source>Row {row}</source>
        <extracomment>Checks of one value, run as the user leaves the field; while typing, the form-level check adds only edit checks (a missing required value is shown when saving). The adverse-event log and its rows, which offer the SAE report form of a row. Asks reasons for changed values; returns them by key, or None when the user cancels. The derived IMWG response above a disease assessment (None for other forms). The dose advice above a cycle&apos;s dosing form (None for other forms).</extracomment>
        <translation>Ligne {row}</translation>
    </message>
    <message>
        <source>saved row</source>
        <translation>ligne enregistrée</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>supprimée</translation>
    </message>
    <message>
        <source>Delete row</source>
        <translation>Supprimer la ligne</translation>
    </message>
    <message>
        <source>This row is saved. Give the reason for deleting it; the deletion is recorded in the audit trail when you save.</source>
        <translation>Cette ligne est enregistrée. Indiquez le motif de sa suppression&#xa0;; la suppression est inscrite dans la piste d&apos;audit à l&apos;enregistrement.</translation>
    </message>
    <message>
        <source>Show &amp;history…</source>
        <translation>Afficher l&apos;&amp;historique…</translation>
    </message>
    <message>
        <source>Not saved: correct the fields marked Error first.</source>
        <translation>Non enregistré&#xa0;: corrigez d&apos;abord les champs marqués Erreur.</translation>
    </message>
    <message>
        <source>Not saved: {reason} Your input is kept; copy what you need, then close and reopen the form to see the other changes.</source>
        <translation>Non enregistré&#xa0;: {reason} Votre saisie est conservée&#xa0;; copiez ce dont vous avez besoin, puis fermez et rouvrez le formulaire pour voir les autres modifications.</translation>
    </message>
    <message>
        <source>Not saved: conflict</source>
        <translation>Non enregistré&#xa0;: conflit</translation>
    </message>
    <message>
        <source>Read only: {reason}</source>
        <translation>Lecture seule&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Non enregistré&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>{form} has unsaved changes. Save them before leaving?</source>
        <translation>{form} contient des modifications non enregistrées. Les enregistrer avant de quitter&#xa0;?</translation>
    </message>
    <message>
        <source>Confirm value</source>
        <translation>Confirmer la valeur</translation>
    </message>
    <message>
        <source>The value is outside the usual range. Say why it is right (e.g. checked on the source document).</source>
        <translation>La valeur est hors des limites habituelles. Indiquez pourquoi elle est correcte (ex.&#xa0;: vérifiée sur le document source).</translation>
    </message>
    <message>
        <source>Unsaved input from an earlier session was kept for this form. Restore it?</source>
        <translation>Une saisie non enregistrée d&apos;une session précédente a été conservée pour ce formulaire. La restaurer&#xa0;?</translation>
    </message>
    <message>
        <source>Planned days pre-filled at the dose level chosen on the advice ({level} mg): check each day against the patient&apos;s diary and save.</source>
        <translation>Jours prévus pré-remplis au palier choisi sur le conseil ({level} mg)&#xa0;: vérifiez chaque jour sur le carnet du patient puis enregistrez.</translation>
    </message>
    <message>
        <source>Planned days of the patient&apos;s arm pre-filled: check each day against the patient&apos;s diary and save.</source>
        <translation>Jours prévus du bras du patient pré-remplis&#xa0;: vérifiez chaque jour sur le carnet du patient, puis enregistrez.</translation>
    </message>
    <message>
        <source>Normal limits pre-filled from the site&apos;s lab normal ranges: check them against the lab report.</source>
        <translation>Limites normales pré-remplies d&apos;après les valeurs normales du laboratoire du centre&#xa0;: vérifiez-les sur le compte rendu du laboratoire.</translation>
    </message>
    <message>
        <source>Reason for change</source>
        <translation>Motif de modification</translation>
    </message>
    <message>
        <source>These values were saved before. Give the reason for each change (or one reason for all); it is recorded in the audit trail.</source>
        <translation>Ces valeurs étaient déjà enregistrées. Indiquez le motif de chaque modification (ou un motif pour toutes)&#xa0;; il est inscrit dans la piste d&apos;audit.</translation>
    </message>
    <message>
        <source>Not saved: a reason for each change is needed.</source>
        <translation>Non enregistré&#xa0;: un motif est requis pour chaque modification.</translation>
    </message>
    <message>
        <source>Saved at {time}</source>
        <translation>Enregistré à {time}</translation>
    </message>
</context>
<context>
    <name>FormOutlinePanel</name>
    <message>
        <source>Read-only outline of what this form collects. Data entry opens in the form editor.</source>
        <translation>Aperçu en lecture seule de ce que recueille ce formulaire. La saisie se fait dans l&apos;éditeur de formulaire.</translation>
    </message>
    <message>
        <source>Form outline</source>
        <translation>Aperçu du formulaire</translation>
    </message>
    <message>
        <source>No form selected</source>
        <translation>Aucun formulaire sélectionné</translation>
    </message>
    <message>
        <source>Select a form in the visit tree to see what it collects.</source>
        <translation>Sélectionnez un formulaire dans l&apos;arborescence des visites pour voir ce qu&apos;il recueille.</translation>
    </message>
    <message>
        <source>{visit} · version {version} · {state}</source>
        <translation>{visit} · version {version} · {state}</translation>
    </message>
    <message>
        <source>Due on cycle day(s) {days}.</source>
        <translation>Prévu au(x) jour(s) {days} du cycle.</translation>
    </message>
    <message>
        <source>Not applicable to this patient (the condition below is false): nothing is awaited.</source>
        <translation>Sans objet pour ce patient (la condition ci-dessous est fausse)&#xa0;: rien n’est attendu.</translation>
    </message>
    <message>
        <source>Optional: filled in when the examination is done.</source>
        <translation>Facultatif&#xa0;: à remplir si l&apos;examen est réalisé.</translation>
    </message>
    <message>
        <source>Only when {condition}.</source>
        <translation>Uniquement si {condition}.</translation>
    </message>
    <message>
        <source>Items: {count} · sections: {sections} · required: {required} (marked *)</source>
        <translation>Items&#xa0;: {count} · sections&#xa0;: {sections} · obligatoires&#xa0;: {required} (marqués *)</translation>
    </message>
    <message>
        <source>table, one row per entry</source>
        <translation>tableau, une ligne par saisie</translation>
    </message>
    <message>
        <source>table of up to {rows} rows</source>
        <translation>tableau de {rows} lignes au plus</translation>
    </message>
    <message>
        <source>only when {condition}</source>
        <translation>uniquement si {condition}</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unité</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <source>Long text</source>
        <translation>Texte long</translation>
    </message>
    <message>
        <source>Whole number</source>
        <translation>Nombre entier</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Date (day or month may be unknown)</source>
        <translation>Date (jour ou mois éventuellement inconnu)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Yes / No</source>
        <translation>Oui / Non</translation>
    </message>
    <message>
        <source>CTCAE term (search as you type)</source>
        <translation>Terme CTCAE (recherche pendant la saisie)</translation>
    </message>
    <message>
        <source>One of: {choices}</source>
        <translation>Un choix parmi&#xa0;: {choices}</translation>
    </message>
    <message>
        <source>One or more of: {choices}</source>
        <translation>Un ou plusieurs choix parmi&#xa0;: {choices}</translation>
    </message>
    <message>
        <source>Computed from {inputs}</source>
        <translation>Calculé à partir de {inputs}</translation>
    </message>
    <message>
        <source>Filled in by the application</source>
        <translation>Rempli par l&apos;application</translation>
    </message>
    <message>
        <source>allowed {range}</source>
        <translation>autorisé {range}</translation>
    </message>
    <message>
        <source>expected {range}</source>
        <translation>attendu {range}</translation>
    </message>
</context>
<context>
    <name>FormPresenter</name>
    <message>
        <source>{label} (row {row})</source>
        <extracomment>Non-repeating fields that the last :meth:`apply_visibility` revealed, in form order.</extracomment>
        <translation>{label} (ligne {row})</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Formulaire</translation>
    </message>
    <message>
        <source>Confirmed: {reason}</source>
        <translation>Confirmé&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Confirmé</translation>
    </message>
    <message>
        <source>Read only: {reason}</source>
        <translation>Lecture seule&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>not gradable</source>
        <translation>non gradable</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <source>grade {grade}</source>
        <translation>grade {grade}</translation>
    </message>
</context>
<context>
    <name>FormState</name>
    <message>
        <source>Not started</source>
        <extracomment>Role holding the :class:`VisitNode` of a row. Event roles in schedule order (PROTOCOL section 8); logs come last. Progress rank of the states that describe the data workflow (queries stand apart).</extracomment>
        <translation>Non saisi</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Complet</translation>
    </message>
    <message>
        <source>Source verified</source>
        <translation>Vérifié (SDV)</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>Signé</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Verrouillé</translation>
    </message>
    <message>
        <source>Query open</source>
        <translation>Query ouverte</translation>
    </message>
    <message>
        <source>Not applicable</source>
        <translation>Non applicable</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <source>&amp;Restore</source>
        <extracomment>Decodes of CTCAE terms by MedDRA code (empty when the form has none).</extracomment>
        <translation>Res&amp;taurer</translation>
    </message>
    <message>
        <source>D&amp;iscard</source>
        <translation>&amp;Ignorer</translation>
    </message>
    <message>
        <source>{label} *</source>
        <translation>{label} *</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Obligatoire</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>&amp;Problems (0)</source>
        <translation>Pro&amp;blèmes (0)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Enregistrer (Ctrl+S)</translation>
    </message>
    <message>
        <source>Save &amp;&amp; &amp;next</source>
        <translation>Enregistrer &amp;&amp; suiva&amp;nt</translation>
    </message>
    <message>
        <source>Save and open the next form (Ctrl+Shift+S)</source>
        <translation>Enregistrer et ouvrir le formulaire suivant (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Pr&amp;int…</source>
        <translation>Imp&amp;rimer…</translation>
    </message>
    <message>
        <source>Print this form as stored (PDF preview)</source>
        <translation>Imprimer ce formulaire tel qu&apos;enregistré (aperçu PDF)</translation>
    </message>
    <message>
        <source>SAE &amp;report…</source>
        <translation>&amp;Déclaration d&apos;EIG…</translation>
    </message>
    <message>
        <source>Serious adverse event report form of the selected adverse event</source>
        <translation>Formulaire de déclaration d&apos;événement indésirable grave de l&apos;événement sélectionné</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Save and next form</source>
        <translation>Enregistrer et formulaire suivant</translation>
    </message>
    <message>
        <source>&amp;Problems (errors: {errors}, warnings: {warnings})</source>
        <translation>Pro&amp;blèmes (erreurs&#xa0;: {errors}, avertissements&#xa0;: {warnings})</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History of {field}</source>
        <translation>Historique de {field}</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>Ancienne valeur</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>Nouvelle valeur</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>No change recorded yet.</source>
        <translation>Aucune modification enregistrée pour l&apos;instant.</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import site transfer</source>
        <translation>Importer un transfert de centre</translation>
    </message>
    <message>
        <source>Merge a site&apos;s transfer file (written at the site with &apos;ctrial export transfer&apos;) into this database. Values changed here and differently at the site are listed as conflicts and not applied.</source>
        <translation>Fusionner dans cette base le fichier de transfert d&apos;un centre (écrit au centre avec «&#xa0;ctrial export transfer&#xa0;»). Les valeurs modifiées ici et autrement au centre sont listées comme conflits et ne sont pas appliquées.</translation>
    </message>
    <message>
        <source>Transfer file (.xml)</source>
        <translation>Fichier de transfert (.xml)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Emplacement</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Central value</source>
        <translation>Valeur centrale</translation>
    </message>
    <message>
        <source>Site value</source>
        <translation>Valeur du centre</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importer</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>Annuler l&apos;import</translation>
    </message>
    <message>
        <source>Site transfer file</source>
        <translation>Fichier de transfert du centre</translation>
    </message>
    <message>
        <source>Transfer files (*.xml)</source>
        <translation>Fichiers de transfert (*.xml)</translation>
    </message>
    <message>
        <source>Choose an existing transfer file.</source>
        <translation>Choisissez un fichier de transfert existant.</translation>
    </message>
    <message>
        <source>Already imported: nothing changed.</source>
        <translation>Déjà importé&#xa0;: rien n&apos;a changé.</translation>
    </message>
    <message>
        <source>Site {site}: {pn} new and {pu} changed patients, {fn} new and {fu} changed forms, {vn} new and {vu} changed values, {a} site audit records received. Conflicts (not applied): {c}.</source>
        <translation>Centre {site}&#xa0;: patients {pn} nouveaux et {pu} modifiés, formulaires {fn} nouveaux et {fu} modifiés, valeurs {vn} nouvelles et {vu} modifiées, {a} enregistrements d&apos;audit du centre reçus. Conflits (non appliqués)&#xa0;: {c}.</translation>
    </message>
    <message>
        <source>Import cancelled: nothing changed.</source>
        <translation>Import annulé&#xa0;: rien n&apos;a changé.</translation>
    </message>
    <message>
        <source>Import refused: {reason}</source>
        <translation>Import refusé&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Import failed: {reason}</source>
        <translation>Échec de l&apos;import&#xa0;: {reason}</translation>
    </message>
</context>
<context>
    <name>LabRangesDialog</name>
    <message>
        <source>Lab normal ranges</source>
        <translation>Valeurs normales du laboratoire</translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation>&amp;Centre&#xa0;:</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Examen</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sexe</translation>
    </message>
    <message>
        <source>LLN</source>
        <translation>LIN</translation>
    </message>
    <message>
        <source>ULN</source>
        <translation>LSN</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unité</translation>
    </message>
    <message>
        <source>&amp;Add a range</source>
        <translation>&amp;Ajouter des valeurs</translation>
    </message>
    <message>
        <source>&amp;Withdraw…</source>
        <translation>&amp;Retirer…</translation>
    </message>
    <message>
        <source>Sa&amp;ve changes…</source>
        <translation>&amp;Enregistrer les modifications…</translation>
    </message>
    <message>
        <source>both</source>
        <translation>les deux</translation>
    </message>
    <message>
        <source>male</source>
        <translation>homme</translation>
    </message>
    <message>
        <source>female</source>
        <translation>femme</translation>
    </message>
    <message>
        <source>Row {row} ({test}): {message}</source>
        <translation>Ligne {row} ({test})&#xa0;: {message}</translation>
    </message>
    <message>
        <source>You have no site whose ranges you may see.</source>
        <translation>Vous n&apos;avez aucun centre dont vous pouvez voir les valeurs normales.</translation>
    </message>
    <message>
        <source>Limits used to grade lab values (CTCAE) when a form has none of its own; a range for one sex comes before the range for both. Edit the cells, then save the changes with a reason.</source>
        <translation>Limites utilisées pour grader les résultats biologiques (CTCAE) quand le formulaire n&apos;en porte pas&#xa0;; les valeurs d&apos;un sexe passent avant celles des deux sexes. Modifiez les cellules, puis enregistrez les modifications avec un motif.</translation>
    </message>
    <message>
        <source>Read only: the data managers keep the normal ranges of the sites.</source>
        <translation>Lecture seule&#xa0;: les data managers tiennent les valeurs normales des centres.</translation>
    </message>
    <message>
        <source>A reason is required for this change.</source>
        <translation>Un motif est obligatoire pour cette modification.</translation>
    </message>
    <message>
        <source>Save normal ranges</source>
        <translation>Enregistrer les valeurs normales</translation>
    </message>
    <message>
        <source>{count} range(s) of site {code} will change; lab values without limits of their own are graded with them from now on.</source>
        <translation>{count} valeur(s) normale(s) du centre {code} vont changer&#xa0;; les résultats sans limites propres seront désormais gradés avec elles.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Withdraw a normal range</source>
        <translation>Retirer des valeurs normales</translation>
    </message>
    <message>
        <source>The {test} range ({sex}) of site {code} will no longer be used; values are then graded with another range or are not gradable.</source>
        <translation>Les valeurs normales {test} ({sex}) du centre {code} ne seront plus utilisées&#xa0;; les résultats seront gradés avec d&apos;autres valeurs ou ne seront pas gradables.</translation>
    </message>
    <message>
        <source>&amp;Withdraw</source>
        <translation>&amp;Retirer</translation>
    </message>
</context>
<context>
    <name>LineField</name>
    <message>
        <source>dd/mm/yyyy</source>
        <extracomment>Item types entered through a filtering list of (code, decode) pairs. Canonical yes/no codes, as the parser stores them, and the words a user may type.</extracomment>
        <translation>jj/mm/aaaa</translation>
    </message>
    <message>
        <source>dd/mm/yyyy, mm/yyyy or yyyy</source>
        <translation>jj/mm/aaaa, mm/aaaa ou aaaa</translation>
    </message>
    <message>
        <source>hh:mm</source>
        <translation>hh:mm</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Session locked</source>
        <translation>Session verrouillée</translation>
    </message>
    <message>
        <source>The session of {name} ({user}) was locked after a period without activity. Your open windows and unsaved entries are kept. Type your password to continue.</source>
        <translation>La session de {name} ({user}) a été verrouillée après une période d&apos;inactivité. Vos fenêtres ouvertes et vos saisies non enregistrées sont conservées. Saisissez votre mot de passe pour continuer.</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>Se dé&amp;connecter</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>Electronic case report forms</source>
        <translation>Cahier d&apos;observation électronique</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Identifiant&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>Saisissez votre identifiant.</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>Ouverture de la base de données…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Export data…</source>
        <translation>&amp;Exporter les données…</translation>
    </message>
    <message>
        <source>&amp;Import site transfer…</source>
        <translation>&amp;Importer un transfert de centre…</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Verrouiller la session</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Find patient</source>
        <translation>&amp;Rechercher un patient</translation>
    </message>
    <message>
        <source>&amp;Open patient</source>
        <translation>&amp;Ouvrir le patient</translation>
    </message>
    <message>
        <source>&amp;Refresh list</source>
        <translation>&amp;Actualiser la liste</translation>
    </message>
    <message>
        <source>&amp;To do</source>
        <translation>&amp;Tâches</translation>
    </message>
    <message>
        <source>&amp;New patient (screening)…</source>
        <translation>&amp;Nouveau patient (sélection)…</translation>
    </message>
    <message>
        <source>R&amp;andomize…</source>
        <translation>Randomi&amp;ser…</translation>
    </message>
    <message>
        <source>&amp;Reports…</source>
        <translation>&amp;Rapports…</translation>
    </message>
    <message>
        <source>&amp;Casebooks of all patients…</source>
        <translation>&amp;Cahiers de tous les patients…</translation>
    </message>
    <message>
        <source>Trial &amp;figures…</source>
        <translation>&amp;Figures de l&apos;essai…</translation>
    </message>
    <message>
        <source>Randomization &amp;log…</source>
        <translation>&amp;Journal de randomisation…</translation>
    </message>
    <message>
        <source>&amp;Queries…</source>
        <translation>&amp;Queries…</translation>
    </message>
    <message>
        <source>&amp;Raise a query on this form…</source>
        <translation>É&amp;mettre une query sur ce formulaire…</translation>
    </message>
    <message>
        <source>&amp;Sign forms…</source>
        <translation>Si&amp;gner des formulaires…</translation>
    </message>
    <message>
        <source>Loc&amp;k or unlock…</source>
        <translation>&amp;Verrouiller ou déverrouiller…</translation>
    </message>
    <message>
        <source>&amp;Next form</source>
        <translation>Formulaire &amp;suivant</translation>
    </message>
    <message>
        <source>&amp;Previous form</source>
        <translation>Formulaire &amp;précédent</translation>
    </message>
    <message>
        <source>&amp;Expand all visits</source>
        <translation>&amp;Déplier toutes les visites</translation>
    </message>
    <message>
        <source>&amp;Collapse all visits</source>
        <translation>&amp;Replier toutes les visites</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation>&amp;Utilisateurs…</translation>
    </message>
    <message>
        <source>&amp;Sites…</source>
        <translation>&amp;Centres…</translation>
    </message>
    <message>
        <source>&amp;Lab normal ranges…</source>
        <translation>&amp;Valeurs normales du laboratoire…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>&amp;Change password…</source>
        <translation>C&amp;hanger de mot de passe…</translation>
    </message>
    <message>
        <source>&amp;About IFM 2009-02 eCRF…</source>
        <translation>À &amp;propos de l&apos;eCRF IFM 2009-02…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Patient</source>
        <translation>&amp;Patient</translation>
    </message>
    <message>
        <source>F&amp;orms</source>
        <translation>For&amp;mulaires</translation>
    </message>
    <message>
        <source>&amp;Reports</source>
        <translation>&amp;Rapports</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>Database: {name}</source>
        <translation>Base de données&#xa0;: {name}</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>The data are stored on this computer&apos;s database; no network is needed.</source>
        <translation>Les données sont enregistrées dans la base de données de cet ordinateur&#xa0;; aucun réseau n&apos;est nécessaire.</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrateur</translation>
    </message>
    <message>
        <source>data manager</source>
        <translation>data manager</translation>
    </message>
    <message>
        <source>investigator</source>
        <translation>investigateur</translation>
    </message>
    <message>
        <source>coordinator</source>
        <translation>TEC / coordinateur·rice d&apos;étude</translation>
    </message>
    <message>
        <source>monitor</source>
        <translation>ARC moniteur</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>aucun rôle</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tous les centres</translation>
    </message>
    <message>
        <source>Sites {codes}</source>
        <translation>Centres {codes}</translation>
    </message>
    <message>
        <source>Site {code} {place}</source>
        <translation>Centre {code} {place}</translation>
    </message>
    <message>
        <source>Patient {number} opened</source>
        <translation>Patient {number} ouvert</translation>
    </message>
    <message>
        <source>Queries</source>
        <translation>Queries</translation>
    </message>
</context>
<context>
    <name>MessagesPanel</name>
    <message>
        <source>No problems</source>
        <translation>Aucun problème</translation>
    </message>
    <message>
        <source>&amp;Go to field</source>
        <translation>&amp;Aller au champ</translation>
    </message>
    <message>
        <source>&amp;Confirm value…</source>
        <translation>&amp;Confirmer la valeur…</translation>
    </message>
    <message>
        <source>Error: {where}: {text}</source>
        <translation>Erreur&#xa0;: {where}&#xa0;: {text}</translation>
    </message>
    <message>
        <source>Warning: {where}: {text}</source>
        <translation>Avertissement&#xa0;: {where}&#xa0;: {text}</translation>
    </message>
    <message>
        <source>Errors: {errors}, warnings: {warnings}</source>
        <translation>Erreurs&#xa0;: {errors}, avertissements&#xa0;: {warnings}</translation>
    </message>
</context>
<context>
    <name>OverrideAdviceDialog</name>
    <message>
        <source>no dose this cycle</source>
        <translation>pas de dose ce cycle</translation>
    </message>
    <message>
        <source>Override the dose advice</source>
        <translation>Ne pas suivre le conseil de dose</translation>
    </message>
    <message>
        <source>The proposal and your decision are both kept in the form and the audit trail.</source>
        <translation>La proposition et votre décision sont toutes deux conservées dans le formulaire et la piste d&apos;audit.</translation>
    </message>
    <message>
        <source>&amp;Dose level to give:</source>
        <translation>&amp;Palier de dose à administrer&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <source>Why the advice is not followed</source>
        <translation>Pourquoi le conseil n&apos;est pas suivi</translation>
    </message>
    <message>
        <source>&amp;Override</source>
        <translation>&amp;Ne pas suivre</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Encrypted database</source>
        <translation>Base de données chiffrée</translation>
    </message>
    <message>
        <source>This database is encrypted (or it is not a ctrial database). Type its passphrase to open it.</source>
        <translation>Cette base de données est chiffrée (ou ce n’est pas une base ctrial). Saisissez sa phrase secrète pour l’ouvrir.</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Phrase secrète&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Type the passphrase.</source>
        <translation>Saisissez la phrase secrète.</translation>
    </message>
</context>
<context>
    <name>PasswordRulesView</name>
    <message>
        <source>At least {count} characters</source>
        <translation>Au moins {count} caractères</translation>
    </message>
    <message>
        <source>At least one letter</source>
        <translation>Au moins une lettre</translation>
    </message>
    <message>
        <source>At least one digit</source>
        <translation>Au moins un chiffre</translation>
    </message>
    <message>
        <source>Does not contain the user name</source>
        <translation>Ne contient pas l&apos;identifiant</translation>
    </message>
    <message>
        <source>met</source>
        <translation>respectée</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>non respectée</translation>
    </message>
</context>
<context>
    <name>PatientListWidget</name>
    <message>
        <source>Search number or initials…</source>
        <translation>Numéro ou initiales…</translation>
    </message>
    <message>
        <source>Search patients</source>
        <translation>Rechercher des patients</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Centre</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Tous les statuts</translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation>&amp;Centre&#xa0;:</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatut&#xa0;:</translation>
    </message>
    <message>
        <source>Patients</source>
        <translation>Patients</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tous les centres</translation>
    </message>
    <message>
        <source>Off treatment</source>
        <translation>Arrêt de traitement</translation>
    </message>
    <message>
        <source>The patient list could not be read; the details are in the log file.</source>
        <translation>La liste des patients n&apos;a pas pu être lue&#xa0;; les détails sont dans le fichier journal.</translation>
    </message>
    <message>
        <source>Loading patients…</source>
        <translation>Chargement des patients…</translation>
    </message>
    <message>
        <source>Patient list not loaded: {reason}</source>
        <translation>Liste des patients non chargée&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>1 patient</source>
        <translation>1 patient</translation>
    </message>
    <message>
        <source>{total} patients</source>
        <translation>{total} patients</translation>
    </message>
    <message>
        <source>{shown} of 1 patient</source>
        <translation>{shown} sur 1 patient</translation>
    </message>
    <message>
        <source>{shown} of {total} patients</source>
        <translation>{shown} patients sur {total}</translation>
    </message>
</context>
<context>
    <name>PatientStatus</name>
    <message>
        <source>Screening</source>
        <extracomment>Role returning the patient&apos;s database id.</extracomment>
        <translation>Sélection</translation>
    </message>
    <message>
        <source>Screen failure</source>
        <translation>Échec de sélection</translation>
    </message>
    <message>
        <source>Randomized</source>
        <translation>Randomisé</translation>
    </message>
    <message>
        <source>On treatment</source>
        <translation>Sous traitement</translation>
    </message>
    <message>
        <source>Off treatment</source>
        <translation>Arrêt de traitement</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Suivi</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>Décédé</translation>
    </message>
</context>
<context>
    <name>PatientTableModel</name>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Initials</source>
        <translation>Initiales</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Centre</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Arm</source>
        <translation>Bras</translation>
    </message>
    <message>
        <source>{status}: {reason}</source>
        <translation>{status}&#xa0;: {reason}</translation>
    </message>
</context>
<context>
    <name>PatientWorkspace</name>
    <message>
        <source>Print &amp;casebook…</source>
        <translation>Imprimer le &amp;cahier…</translation>
    </message>
    <message>
        <source>The patient&apos;s casebook as PDF (preview, print, save)</source>
        <translation>Le cahier d&apos;observation du patient en PDF (aperçu, impression, enregistrement)</translation>
    </message>
    <message>
        <source>Visits and forms</source>
        <translation>Visites et formulaires</translation>
    </message>
    <message>
        <source>&amp;Form</source>
        <translation>Formula&amp;ire</translation>
    </message>
    <message>
        <source>Cannot open the form: {reason}</source>
        <translation>Impossible d&apos;ouvrir le formulaire&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Cannot open the patient: {reason}</source>
        <translation>Impossible d&apos;ouvrir le patient&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Clinical &amp;summary</source>
        <translation>&amp;Synthèse clinique</translation>
    </message>
    <message>
        <source>Patient {number}</source>
        <translation>Patient {number}</translation>
    </message>
    <message>
        <source>female</source>
        <translation>femme</translation>
    </message>
    <message>
        <source>male</source>
        <translation>homme</translation>
    </message>
    <message>
        <source>{age} years</source>
        <translation>{age} ans</translation>
    </message>
    <message>
        <source>site {site}</source>
        <translation>centre {site}</translation>
    </message>
    <message>
        <source>Arm {letter} · {code}</source>
        <translation>Bras {letter} · {code}</translation>
    </message>
    <message>
        <source>Not randomized</source>
        <translation>Non randomisé</translation>
    </message>
    <message>
        <source>Arm {code}</source>
        <translation>Bras {code}</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>Zoom out</source>
        <translation>Zoom arrière</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Zoom avant</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>Pleine largeur</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimer…</translation>
    </message>
    <message>
        <source>&amp;Save as…</source>
        <translation>&amp;Enregistrer sous…</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Page</translation>
    </message>
    <message>
        <source>of {pages}</source>
        <translation>sur {pages}</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Imprimer</translation>
    </message>
    <message>
        <source>The printer cannot be used.</source>
        <translation>L&apos;imprimante ne peut pas être utilisée.</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>Enregistrer le rapport</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <source>The file could not be written: {error}</source>
        <translation>Le fichier n&apos;a pas pu être écrit&#xa0;: {error}</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>Automatic backups</source>
        <translation>Sauvegardes automatiques</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Dossier&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>&amp;Every (hours):</source>
        <translation>&amp;Toutes les (heures)&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Copies kept:</source>
        <translation>&amp;Copies conservées&#xa0;:</translation>
    </message>
    <message>
        <source>A copy of the database is taken while you work when the last one is older than this, and when the application closes; older copies beyond the number kept are deleted. Choose a folder on another disk or a USB key when you can.</source>
        <translation>Une copie de la base est faite pendant que vous travaillez lorsque la dernière est plus ancienne que ce délai, et à la fermeture de l’application&#xa0;; les copies au-delà du nombre conservé sont supprimées. Choisissez si possible un dossier sur un autre disque ou une clé USB.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <source>The language applies to the menus and screens at once and is remembered for the next start.</source>
        <translation>La langue s&apos;applique immédiatement aux menus et aux écrans, et est conservée pour le prochain démarrage.</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>Dossier des sauvegardes</translation>
    </message>
    <message>
        <source>Choose a folder for the backups.</source>
        <translation>Choisissez un dossier pour les sauvegardes.</translation>
    </message>
    <message>
        <source>Backups cannot be written there: {reason}</source>
        <translation>Impossible d’écrire les sauvegardes à cet endroit&#xa0;: {reason}</translation>
    </message>
</context>
<context>
    <name>QueriesView</name>
    <message>
        <source>Queries</source>
        <extracomment>Status colours, always next to the status word.</extracomment>
        <translation>Queries</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Toutes</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatut&#xa0;:</translation>
    </message>
    <message>
        <source>S&amp;ite:</source>
        <translation>C&amp;entre&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Older than:</source>
        <translation>Plus &amp;anciennes que&#xa0;:</translation>
    </message>
    <message>
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <source>any age</source>
        <translation>sans limite</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Centre</translation>
    </message>
    <message>
        <source>Visit – form – field</source>
        <translation>Visite – formulaire – champ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Raised by</source>
        <translation>Émise par</translation>
    </message>
    <message>
        <source>Age (days)</source>
        <translation>Âge (jours)</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>Dernier message</translation>
    </message>
    <message>
        <source>Open &amp;thread…</source>
        <translation>Ouvrir le f&amp;il…</translation>
    </message>
    <message>
        <source>Go to &amp;form</source>
        <translation>Aller au &amp;formulaire</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tous les centres</translation>
    </message>
    <message>
        <source>Queries shown: {count}</source>
        <translation>Queries affichées&#xa0;: {count}</translation>
    </message>
</context>
<context>
    <name>QueryDialog</name>
    <message>
        <source>{event} {repeat}</source>
        <translation>{event} {repeat}</translation>
    </message>
    <message>
        <source>{field} (row {row})</source>
        <translation>{field} (ligne {row})</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouverte</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Répondue</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Clôturée</translation>
    </message>
    <message>
        <source>Raise a query</source>
        <translation>Émettre une query</translation>
    </message>
    <message>
        <source>Query thread</source>
        <translation>Fil de la query</translation>
    </message>
    <message>
        <source>Source data &amp;verified for this form</source>
        <translation>Données sources &amp;vérifiées pour ce formulaire (SDV)</translation>
    </message>
    <message>
        <source>&amp;Raise query</source>
        <translation>É&amp;mettre la query</translation>
    </message>
    <message>
        <source>&amp;Answer</source>
        <translation>Ré&amp;pondre</translation>
    </message>
    <message>
        <source>C&amp;lose query</source>
        <translation>&amp;Clôturer la query</translation>
    </message>
    <message>
        <source>Re-&amp;open</source>
        <translation>R&amp;ouvrir</translation>
    </message>
    <message>
        <source>&amp;Question:</source>
        <translation>&amp;Question&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Reply or note:</source>
        <translation>&amp;Réponse ou note&#xa0;:</translation>
    </message>
    <message>
        <source>The form no longer exists.</source>
        <translation>Le formulaire n&apos;existe plus.</translation>
    </message>
    <message>
        <source>Patient {number}: {place}</source>
        <translation>Patient {number}&#xa0;: {place}</translation>
    </message>
    <message>
        <source>Only monitors and data managers raise queries.</source>
        <translation>Seuls les moniteurs et les data managers émettent des queries.</translation>
    </message>
    <message>
        <source>Status: {status} – raised by {user} on {when}</source>
        <translation>Statut&#xa0;: {status} – émise par {user} le {when}</translation>
    </message>
    <message>
        <source>Only site staff answer queries.</source>
        <translation>Seule l&apos;équipe du centre répond aux queries.</translation>
    </message>
    <message>
        <source>Only an open query can be answered.</source>
        <translation>Seule une query ouverte peut recevoir une réponse.</translation>
    </message>
    <message>
        <source>Only monitors and data managers close queries.</source>
        <translation>Seuls les moniteurs et les data managers clôturent les queries.</translation>
    </message>
    <message>
        <source>The query is closed already.</source>
        <translation>La query est déjà clôturée.</translation>
    </message>
    <message>
        <source>Only monitors and data managers re-open queries.</source>
        <translation>Seuls les moniteurs et les data managers rouvrent les queries.</translation>
    </message>
    <message>
        <source>The query is open already.</source>
        <translation>La query est déjà ouverte.</translation>
    </message>
    <message>
        <source>Only a complete form can be verified.</source>
        <translation>Seul un formulaire complet peut être vérifié.</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Re-opened</source>
        <translation>Rouverte</translation>
    </message>
    <message>
        <source>{kind} – {author}, {when}</source>
        <translation>{kind} – {author}, {when}</translation>
    </message>
    <message>
        <source>Remove source-data verification</source>
        <translation>Retirer la vérification des données sources</translation>
    </message>
    <message>
        <source>The form will no longer count as verified against source documents.</source>
        <translation>Le formulaire ne sera plus considéré comme vérifié par rapport aux documents sources.</translation>
    </message>
    <message>
        <source>&amp;Remove verification</source>
        <translation>&amp;Retirer la vérification</translation>
    </message>
</context>
<context>
    <name>RandomizationLogDialog</name>
    <message>
        <source>Randomization log</source>
        <translation>Journal de randomisation</translation>
    </message>
</context>
<context>
    <name>RandomizationLogView</name>
    <message>
        <source>Randomization log</source>
        <translation>Journal de randomisation</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>&amp;Assignments</source>
        <translation>&amp;Attributions</translation>
    </message>
    <message>
        <source>&amp;List commitments</source>
        <translation>&amp;Engagements des listes</translation>
    </message>
    <message>
        <source>&amp;Stock</source>
        <translation>&amp;Stock</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <source>Date and time (local)</source>
        <translation>Date et heure (locale)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Arm</source>
        <translation>Bras</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <source>Stratum</source>
        <translation>Strate</translation>
    </message>
    <message>
        <source>List · position</source>
        <translation>Liste · position</translation>
    </message>
    <message>
        <source>Minimization</source>
        <translation>Minimisation</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Centre</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>Positions</translation>
    </message>
    <message>
        <source>SHA-256 commitment</source>
        <translation>Engagement SHA-256</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>Créée par</translation>
    </message>
    <message>
        <source>Created (local)</source>
        <translation>Créée le (heure locale)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Utilisées</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Restantes</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>A&amp;ppend list…</source>
        <translation>A&amp;jouter une liste…</translation>
    </message>
    <message>
        <source>Select a stratum, then append a new list (own seed and commitment) before it runs out. A reason is required.</source>
        <translation>Sélectionnez une strate, puis ajoutez une nouvelle liste (avec sa propre graine et son engagement) avant qu&apos;elle ne soit épuisée. Un motif est requis.</translation>
    </message>
    <message>
        <source>Only a data manager can append allocation lists.</source>
        <translation>Seul un data manager peut ajouter des listes d&apos;allocation.</translation>
    </message>
    <message>
        <source>list {list} · position {position}</source>
        <translation>liste {list} · position {position}</translation>
    </message>
    <message>
        <source>blocks</source>
        <translation>blocs</translation>
    </message>
    <message>
        <source>minimization</source>
        <translation>minimisation</translation>
    </message>
    <message>
        <source>{arm}: imbalance {imbalance}, probability {p}</source>
        <translation>{arm}&#xa0;: déséquilibre {imbalance}, probabilité {p}</translation>
    </message>
    <message>
        <source>draw {draw} → {arm}</source>
        <translation>tirage {draw} → {arm}</translation>
    </message>
    <message>
        <source>Low: append a list</source>
        <translation>Stock bas&#xa0;: ajouter une liste</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Stratum {stratum} has only {left} position(s) left: a data manager must append a list before it runs out.</source>
        <translation>Il ne reste que {left} position(s) dans la strate {stratum}&#xa0;: un data manager doit ajouter une liste avant qu&apos;elle ne soit épuisée.</translation>
    </message>
    <message>
        <source>Append an allocation list</source>
        <translation>Ajouter une liste d&apos;allocation</translation>
    </message>
    <message>
        <source>A new list with its own seed and SHA-256 commitment will be appended to stratum {stratum}. Lists are never removed.</source>
        <translation>Une nouvelle liste, avec sa propre graine et son engagement SHA-256, sera ajoutée à la strate {stratum}. Les listes ne sont jamais supprimées.</translation>
    </message>
    <message>
        <source>&amp;Append list</source>
        <translation>&amp;Ajouter la liste</translation>
    </message>
</context>
<context>
    <name>RandomizeDialog</name>
    <message>
        <source>Randomize {number}</source>
        <translation>Randomiser {number}</translation>
    </message>
    <message>
        <source>Step 1 of 2 · Check eligibility and stratification</source>
        <translation>Étape 1 sur 2 · Vérifier l&apos;éligibilité et la stratification</translation>
    </message>
    <message>
        <source>Stratification values read from the CRF</source>
        <translation>Valeurs de stratification lues dans le cahier d&apos;observation</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Suivant &gt;</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Step 2 of 2 · Confirm</source>
        <translation>Étape 2 sur 2 · Confirmer</translation>
    </message>
    <message>
        <source>Randomize {number} now? This cannot be undone.</source>
        <translation>Randomiser {number} maintenant&#xa0;? Cette action est irréversible.</translation>
    </message>
    <message>
        <source>&amp;Type the patient number to confirm:</source>
        <translation>&amp;Tapez le numéro du patient pour confirmer&#xa0;:</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Précédent</translation>
    </message>
    <message>
        <source>&amp;Randomize</source>
        <translation>&amp;Randomiser</translation>
    </message>
    <message>
        <source>The arm is drawn at once from the site&apos;s concealed allocation list and can never be changed or drawn again.</source>
        <translation>Le bras est tiré immédiatement dans la liste d&apos;allocation masquée du centre&#xa0;; il ne pourra jamais être modifié ni tiré de nouveau.</translation>
    </message>
    <message>
        <source>Record a protocol deviation</source>
        <translation>Enregistrer une déviation au protocole</translation>
    </message>
    <message>
        <source>e.g. randomized in ISS stratum I-II, ISS stage at entry was III</source>
        <translation>ex.&#xa0;: randomisé dans la strate ISS I-II, stade ISS à l&apos;inclusion III</translation>
    </message>
    <message>
        <source>Record &amp;deviation</source>
        <translation>Enregistrer la &amp;déviation</translation>
    </message>
    <message>
        <source>A wrong stratum is recorded as a protocol deviation with a note; the patient keeps the arm assigned.</source>
        <translation>Une erreur de strate est enregistrée comme déviation au protocole, avec une note&#xa0;; le patient garde le bras attribué.</translation>
    </message>
    <message>
        <source>&amp;Copy confirmation</source>
        <translation>&amp;Copier la confirmation</translation>
    </message>
    <message>
        <source>Copy a plain-text confirmation to paste into a letter or an e-mail.</source>
        <translation>Copier une confirmation en texte brut à coller dans un courrier ou un e-mail.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Randomization is not possible yet:</source>
        <translation>La randomisation n&apos;est pas encore possible&#xa0;:</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>manquant</translation>
    </message>
    <message>
        <source>stage {stage}, group {group}</source>
        <translation>stade {stage}, groupe {group}</translation>
    </message>
    <message>
        <source>{age} years, group {group}</source>
        <translation>{age} ans, groupe {group}</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Féminin</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Masculin</translation>
    </message>
    <message>
        <source>Site:</source>
        <translation>Centre&#xa0;:</translation>
    </message>
    <message>
        <source>ISS stage at entry:</source>
        <translation>Stade ISS à l&apos;inclusion&#xa0;:</translation>
    </message>
    <message>
        <source>Age:</source>
        <translation>Âge&#xa0;:</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>Sexe&#xa0;:</translation>
    </message>
    <message>
        <source>{number} is already randomized. A randomization is final: it can never be undone or repeated.</source>
        <translation>{number} est déjà randomisé. Une randomisation est définitive&#xa0;: elle ne peut jamais être annulée ni refaite.</translation>
    </message>
    <message>
        <source>Patient:</source>
        <translation>Patient&#xa0;:</translation>
    </message>
    <message>
        <source>Randomization number:</source>
        <translation>Numéro de randomisation&#xa0;:</translation>
    </message>
    <message>
        <source>Date and time (local):</source>
        <translation>Date et heure (locale)&#xa0;:</translation>
    </message>
    <message>
        <source>Randomized by:</source>
        <translation>Randomisé par&#xa0;:</translation>
    </message>
    <message>
        <source>Stratum:</source>
        <translation>Strate&#xa0;:</translation>
    </message>
    <message>
        <source>Patient {number} ({initials}), site {site}, ISS group {iss}, age group {age}.</source>
        <translation>Patient {number} ({initials}), centre {site}, groupe ISS {iss}, groupe d&apos;âge {age}.</translation>
    </message>
    <message>
        <source>{number} is randomized.</source>
        <translation>{number} est randomisé.</translation>
    </message>
    <message>
        <source>✔ Protocol deviation recorded.</source>
        <translation>✔ Déviation au protocole enregistrée.</translation>
    </message>
    <message>
        <source>{study} randomization confirmation</source>
        <translation>Confirmation de randomisation {study}</translation>
    </message>
    <message>
        <source>Type {number} exactly to confirm.</source>
        <translation>Tapez exactement {number} pour confirmer.</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>&amp;Reason:</source>
        <extracomment>Carries out the change with (reason, temporary password or &apos;&apos;); raises ServiceError.</extracomment>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <source>Why this change is made (audit trail)</source>
        <translation>Motif de cette modification (piste d&apos;audit)</translation>
    </message>
    <message>
        <source>&amp;Temporary password:</source>
        <translation>Mot de passe &amp;temporaire&#xa0;:</translation>
    </message>
    <message>
        <source>Give this password to the user; they must change it at their next login.</source>
        <translation>Transmettez ce mot de passe à l&apos;utilisateur&#xa0;; il devra le changer à sa prochaine connexion.</translation>
    </message>
</context>
<context>
    <name>RepeatingTable</name>
    <message>
        <source>Yes</source>
        <extracomment>True when the user pressed Enter in the editor being closed (then the view moves down).</extracomment>
        <translation>Oui</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>{label} ({unit})</source>
        <extracomment>Decodes of multiple-choice columns (shown joined; the service parses typed decodes).</extracomment>
        <translation>{label} ({unit})</translation>
    </message>
    <message>
        <source>{label} *</source>
        <translation>{label} *</translation>
    </message>
    <message>
        <source>&amp;Add row</source>
        <translation>Ajouter une &amp;ligne</translation>
    </message>
    <message>
        <source>Add a row (Insert, or Enter on the last row)</source>
        <translation>Ajouter une ligne (Inser, ou Entrée sur la dernière ligne)</translation>
    </message>
    <message>
        <source>&amp;Delete row…</source>
        <translation>&amp;Supprimer la ligne…</translation>
    </message>
    <message>
        <source>Delete the current row (Delete)</source>
        <translation>Supprimer la ligne courante (Suppr)</translation>
    </message>
    <message>
        <source>Error: {text}</source>
        <translation>Erreur&#xa0;: {text}</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>Avertissement&#xa0;: {text}</translation>
    </message>
    <message>
        <source>Not applicable</source>
        <translation>Non applicable</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Reports</source>
        <extracomment>Permission each report needs beyond being logged in.</extracomment>
        <translation>Rapports</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tous les centres</translation>
    </message>
    <message>
        <source>&amp;Report:</source>
        <translation>&amp;Rapport&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Patient:</source>
        <translation>Pa&amp;tient&#xa0;:</translation>
    </message>
    <message>
        <source>Serious &amp;event:</source>
        <translation>Événement &amp;grave&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation>&amp;Centre&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <source>Pa&amp;per:</source>
        <translation>Pa&amp;pier&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Générer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Your role has no report to print.</source>
        <translation>Votre rôle ne donne accès à aucun rapport.</translation>
    </message>
    <message>
        <source>grade {grade}</source>
        <translation>grade {grade}</translation>
    </message>
    <message>
        <source>No serious adverse event recorded</source>
        <translation>Aucun événement indésirable grave saisi</translation>
    </message>
    <message>
        <source>Choose a patient first.</source>
        <translation>Choisissez d&apos;abord un patient.</translation>
    </message>
    <message>
        <source>This patient has no serious adverse event to report.</source>
        <translation>Ce patient n&apos;a pas d&apos;événement indésirable grave à déclarer.</translation>
    </message>
    <message>
        <source>Generating {title}…</source>
        <translation>Génération de {title}…</translation>
    </message>
    <message>
        <source>{pages} page(s) ready: {file}</source>
        <translation>{pages} page(s) prête(s)&#xa0;: {file}</translation>
    </message>
    <message>
        <source>The report was written but cannot be shown: {file}</source>
        <translation>Le rapport a été écrit mais ne peut pas être affiché&#xa0;: {file}</translation>
    </message>
    <message>
        <source>Cancelled: no report was written.</source>
        <translation>Annulé&#xa0;: aucun rapport n&apos;a été écrit.</translation>
    </message>
    <message>
        <source>The report could not be produced: {error}. The details are in the log file.</source>
        <translation>Le rapport n&apos;a pas pu être produit&#xa0;: {error}. Les détails sont dans le fichier journal.</translation>
    </message>
</context>
<context>
    <name>ResponsePanel</name>
    <message>
        <source>IMWG response derived by the application</source>
        <translation>Réponse IMWG calculée par l&apos;application</translation>
    </message>
    <message>
        <source>If you disagree, choose the investigator&apos;s response below and give the reason: both responses are kept and printed.</source>
        <translation>En cas de désaccord, choisissez ci-dessous la réponse de l&apos;investigateur et donnez le motif&#xa0;: les deux réponses sont conservées et imprimées.</translation>
    </message>
    <message>
        <source>Cannot be derived: {message}</source>
        <translation>Calcul impossible&#xa0;: {message}</translation>
    </message>
    <message>
        <source>This screening assessment is the baseline of the response.</source>
        <translation>Cette évaluation de sélection est la référence de la réponse.</translation>
    </message>
    <message>
        <source>enter and save the date of the assessment</source>
        <translation>saisissez et enregistrez la date de l&apos;évaluation</translation>
    </message>
    <message>
        <source>This assessment: not evaluated yet ({why}).</source>
        <translation>Cette évaluation&#xa0;: pas encore évaluée ({why}).</translation>
    </message>
    <message>
        <source>confirmed by the next assessment</source>
        <translation>confirmée par l&apos;évaluation suivante</translation>
    </message>
    <message>
        <source>not confirmed yet</source>
        <translation>pas encore confirmée</translation>
    </message>
    <message>
        <source>This assessment ({date}): {category}, {confirmed}.</source>
        <translation>Cette évaluation ({date})&#xa0;: {category}, {confirmed}.</translation>
    </message>
    <message>
        <source>not evaluable</source>
        <translation>non évaluable</translation>
    </message>
    <message>
        <source>Best overall response: not evaluable.</source>
        <translation>Meilleure réponse globale&#xa0;: non évaluable.</translation>
    </message>
    <message>
        <source>Best overall response: {response} (first on {date}).</source>
        <translation>Meilleure réponse globale&#xa0;: {response} (atteinte le {date}).</translation>
    </message>
    <message>
        <source>Progression on {date}.</source>
        <translation>Progression le {date}.</translation>
    </message>
    <message>
        <source>No progression.</source>
        <translation>Pas de progression.</translation>
    </message>
</context>
<context>
    <name>ScreeningDialog</name>
    <message>
        <source>You may not screen patients at any active site.</source>
        <translation>Vous ne pouvez inscrire de patient en sélection dans aucun centre actif.</translation>
    </message>
    <message>
        <source>Screen a new patient</source>
        <translation>Nouveau patient en sélection (screening)</translation>
    </message>
    <message>
        <source>The patient gets the next number of the site and enters the screening log. The informed consent must be signed before any study procedure.</source>
        <translation>Le patient reçoit le numéro suivant du centre et entre dans le registre de sélection. Le consentement éclairé doit être signé avant toute procédure de l&apos;étude.</translation>
    </message>
    <message>
        <source>S&amp;ite:</source>
        <translation>C&amp;entre&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Initials:</source>
        <translation>&amp;Initiales&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Birth date or year:</source>
        <translation>Date ou année de &amp;naissance&#xa0;:</translation>
    </message>
    <message>
        <source>Se&amp;x:</source>
        <translation>Se&amp;xe&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Consent signed on:</source>
        <translation>&amp;Consentement signé le&#xa0;:</translation>
    </message>
    <message>
        <source>e.g. MD or J-P</source>
        <translation>ex.&#xa0;: MD ou J-P</translation>
    </message>
    <message>
        <source>dd/mm/yyyy, or the year alone</source>
        <translation>jj/mm/aaaa, ou l&apos;année seule</translation>
    </message>
    <message>
        <source>dd/mm/yyyy</source>
        <translation>jj/mm/aaaa</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>(choisir)</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Féminin</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Masculin</translation>
    </message>
    <message>
        <source>&amp;Add to screening log</source>
        <translation>&amp;Ajouter au registre de sélection</translation>
    </message>
    <message>
        <source>The consent date is in the future: the consent must be signed before it is recorded.</source>
        <translation>La date du consentement est dans le futur&#xa0;: le consentement doit être signé avant d&apos;être enregistré.</translation>
    </message>
    <message>
        <source>Give the date the consent was signed: no study procedure may come before it.</source>
        <translation>Indiquez la date de signature du consentement&#xa0;: aucune procédure de l&apos;étude ne peut la précéder.</translation>
    </message>
    <message>
        <source>Choose the sex.</source>
        <translation>Choisissez le sexe.</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Sign forms</source>
        <extracomment>Login sessions (``Actor.session_id``) whose user has signed once: later signatures of the same login session ask the password only.</extracomment>
        <translation>Signer des formulaires</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Visit – form</source>
        <translation>Visite – formulaire</translation>
    </message>
    <message>
        <source>Last saved</source>
        <translation>Dernier enregistrement</translation>
    </message>
    <message>
        <source>Saved by</source>
        <translation>Enregistré par</translation>
    </message>
    <message>
        <source>Meaning of this signature: “I confirm that the data are accurate and complete.” Your electronic signature is the legally binding equivalent of your handwritten signature.</source>
        <translation>Signification de cette signature&#xa0;: «&#xa0;Je confirme que les données sont exactes et complètes.&#xa0;» Votre signature électronique a la même valeur juridique que votre signature manuscrite.</translation>
    </message>
    <message>
        <source>Signer: {name} ({user}). The date and time of signing are recorded with the signature.</source>
        <translation>Signataire&#xa0;: {name} ({user}). La date et l&apos;heure de signature sont enregistrées avec la signature.</translation>
    </message>
    <message>
        <source>&amp;User ID:</source>
        <translation>&amp;Identifiant&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Sign</source>
        <translation>&amp;Signer</translation>
    </message>
    <message>
        <source>You are signing {count} form(s) of patient {number}:</source>
        <translation>Vous signez {count} formulaire(s) du patient {number}&#xa0;:</translation>
    </message>
    <message>
        <source>Only an investigator of the site signs forms.</source>
        <translation>Seul un investigateur du centre signe les formulaires.</translation>
    </message>
    <message>
        <source>Your role cannot sign forms; an investigator of the site signs.</source>
        <translation>Votre rôle ne permet pas de signer&#xa0;; un investigateur du centre signe les formulaires.</translation>
    </message>
    <message>
        <source>There is no complete unsigned form to sign.</source>
        <translation>Aucun formulaire complet non signé à signer.</translation>
    </message>
</context>
<context>
    <name>SitesDialog</name>
    <message>
        <source>Sites</source>
        <extracomment>(code, name, city) of a site named in the study definition.</extracomment>
        <translation>Centres</translation>
    </message>
    <message>
        <source>A new site is inactive: nobody can enter data there until an administrator activates it (for example after the site initiation visit).</source>
        <translation>Un nouveau centre est inactif&#xa0;: personne ne peut y saisir de données tant qu&apos;un administrateur ne l&apos;a pas activé (par exemple après la visite de mise en place).</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ville</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Create the &amp;study&apos;s sites</source>
        <translation>Créer les centres de l&apos;é&amp;tude</translation>
    </message>
    <message>
        <source>New site</source>
        <translation>Nouveau centre</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>&amp;Code&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>C&amp;ity:</source>
        <translation>&amp;Ville&#xa0;:</translation>
    </message>
    <message>
        <source>e.g. 03</source>
        <translation>ex.&#xa0;: 03</translation>
    </message>
    <message>
        <source>Create si&amp;te</source>
        <translation>C&amp;réer le centre</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactif</translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation>&amp;Désactiver…</translation>
    </message>
    <message>
        <source>&amp;Activate…</source>
        <translation>&amp;Activer…</translation>
    </message>
    <message>
        <source>{count} site(s) of the study definition are not in the database yet.</source>
        <translation>{count} centre(s) de la définition de l&apos;étude ne sont pas encore dans la base de données.</translation>
    </message>
    <message>
        <source>Activate site {code}</source>
        <translation>Activer le centre {code}</translation>
    </message>
    <message>
        <source>Site {code} ({name}) will be able to enrol patients and enter data.</source>
        <translation>Le centre {code} ({name}) pourra inclure des patients et saisir des données.</translation>
    </message>
    <message>
        <source>&amp;Activate</source>
        <translation>&amp;Activer</translation>
    </message>
    <message>
        <source>Deactivate site {code}</source>
        <translation>Désactiver le centre {code}</translation>
    </message>
    <message>
        <source>Site {code} ({name}) will no longer be able to enter data. Its data are kept and stay visible.</source>
        <translation>Le centre {code} ({name}) ne pourra plus saisir de données. Ses données sont conservées et restent visibles.</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Désactiver</translation>
    </message>
</context>
<context>
    <name>TodoView</name>
    <message>
        <source>To do</source>
        <translation>Tâches à faire</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>Due or since</source>
        <translation>Échéance ou depuis</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Centre</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Not clinically &amp;significant…</source>
        <translation>Non &amp;significatif cliniquement…</translation>
    </message>
    <message>
        <source>Nothing to do: every form is up to date.</source>
        <translation>Rien à faire&#xa0;: tous les formulaires sont à jour.</translation>
    </message>
    <message>
        <source>Reading the list…</source>
        <translation>Lecture de la liste…</translation>
    </message>
    <message>
        <source>The list could not be read: {reason}</source>
        <translation>La liste n’a pas pu être lue&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Serious adverse events to report</source>
        <translation>Événements indésirables graves à déclarer</translation>
    </message>
    <message>
        <source>Lab values of grade 3 or more</source>
        <translation>Valeurs biologiques de grade 3 ou plus</translation>
    </message>
    <message>
        <source>Overdue visits</source>
        <translation>Visites en retard</translation>
    </message>
    <message>
        <source>Queries</source>
        <translation>Requêtes</translation>
    </message>
    <message>
        <source>Forms in progress</source>
        <translation>Formulaires en cours</translation>
    </message>
    <message>
        <source>Forms to sign</source>
        <translation>Formulaires à signer</translation>
    </message>
    <message>
        <source>{term} (grade {grade}, row {row}): report due {when}</source>
        <translation>{term} (grade {grade}, ligne {row})&#xa0;: déclaration due le {when}</translation>
    </message>
    <message>
        <source>{term}: grade {grade} ({value}, {form}, cycle {cycle} day {day})</source>
        <translation>{term}&#xa0;: grade {grade} ({value}, {form}, cycle {cycle} J{day})</translation>
    </message>
    <message>
        <source>{term}: grade {grade} ({value}, {form}, cycle {cycle})</source>
        <translation>{term}&#xa0;: grade {grade} ({value}, {form}, cycle {cycle})</translation>
    </message>
    <message>
        <source>Cycle {cycle} day {day}: {form}</source>
        <translation>Cycle {cycle} J{day}&#xa0;: {form}</translation>
    </message>
    <message>
        <source>Cycle {cycle} day 1</source>
        <translation>Cycle {cycle} jour 1</translation>
    </message>
    <message>
        <source>Follow-up {number}</source>
        <translation>Suivi {number}</translation>
    </message>
    <message>
        <source>Query answered, to close: {form}</source>
        <translation>Requête répondue, à clore&#xa0;: {form}</translation>
    </message>
    <message>
        <source>Query to answer: {form}</source>
        <translation>Requête à traiter&#xa0;: {form}</translation>
    </message>
    <message>
        <source>Unsaved draft: {form}</source>
        <translation>Brouillon non enregistré&#xa0;: {form}</translation>
    </message>
    <message>
        <source>Required items missing: {form}</source>
        <translation>Données obligatoires manquantes&#xa0;: {form}</translation>
    </message>
    <message>
        <source>{count} complete form(s) not signed</source>
        <translation>{count} formulaire(s) complet(s) non signé(s)</translation>
    </message>
    <message>
        <source>{category}: {count}</source>
        <translation>{category}&#xa0;: {count}</translation>
    </message>
    <message>
        <source>Not clinically significant</source>
        <translation>Non significatif cliniquement</translation>
    </message>
    <message>
        <source>Patient {number}: {what}. The value leaves the to-do list; the review is kept in the audit trail.</source>
        <translation>Patient {number}&#xa0;: {what}. La valeur quitte la liste des tâches&#xa0;; la revue est conservée dans la piste d’audit.</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>&amp;Enregistrer</translation>
    </message>
</context>
<context>
    <name>TrialFiguresDialog</name>
    <message>
        <source>The trial figures show every site&apos;s data by arm: they need the export permission (data managers). Your role does not have it.</source>
        <extracomment>Width of the drawings in points: the text width of the A4 report, so the figures keep the proportions and type sizes of the printed summary.</extracomment>
        <translation>Les figures de l&apos;essai montrent les données de tous les centres par bras&#xa0;: elles demandent le droit d&apos;export (data managers). Votre rôle ne l&apos;a pas.</translation>
    </message>
    <message>
        <source>Trial figures</source>
        <translation>Figures de l&apos;essai</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tous les centres</translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Save as S&amp;VG…</source>
        <translation>Enregistrer en S&amp;VG…</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>Enregistrer en P&amp;DF…</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Imprimer…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation>&amp;Centre&#xa0;:</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Imprimer</translation>
    </message>
    <message>
        <source>The printer cannot be used.</source>
        <translation>L&apos;imprimante ne peut pas être utilisée.</translation>
    </message>
    <message>
        <source>Computing the trial summary…</source>
        <translation>Calcul de la synthèse de l&apos;essai…</translation>
    </message>
    <message>
        <source>CONSORT flow diagram</source>
        <translation>Diagramme de flux CONSORT</translation>
    </message>
    <message>
        <source>Swimmer plot</source>
        <translation>Diagramme en couloirs (swimmer plot)</translation>
    </message>
    <message>
        <source>Waterfall plot</source>
        <translation>Diagramme en cascade (waterfall plot)</translation>
    </message>
    <message>
        <source>Kaplan-Meier: progression-free survival</source>
        <translation>Kaplan-Meier&#xa0;: survie sans progression</translation>
    </message>
    <message>
        <source>Kaplan-Meier: overall survival</source>
        <translation>Kaplan-Meier&#xa0;: survie globale</translation>
    </message>
    <message>
        <source>CONSORT</source>
        <translation>CONSORT</translation>
    </message>
    <message>
        <source>Swimmer</source>
        <translation>Couloirs (swimmer)</translation>
    </message>
    <message>
        <source>Waterfall</source>
        <translation>Cascade (waterfall)</translation>
    </message>
    <message>
        <source>Kaplan-Meier PFS</source>
        <translation>Kaplan-Meier SSP</translation>
    </message>
    <message>
        <source>Kaplan-Meier OS</source>
        <translation>Kaplan-Meier SG</translation>
    </message>
    <message>
        <source>{patients} randomized patient(s); data as of {date}.</source>
        <translation>{patients} patient(s) randomisé(s)&#xa0;; données au {date}.</translation>
    </message>
    <message>
        <source>No randomized patient yet: the figures are empty.</source>
        <translation>Aucun patient randomisé pour l&apos;instant&#xa0;: les figures sont vides.</translation>
    </message>
    <message>
        <source>Cancelled: the figures were not computed.</source>
        <translation>Annulé&#xa0;: les figures n&apos;ont pas été calculées.</translation>
    </message>
    <message>
        <source>The figures could not be computed: {error}. The details are in the log file.</source>
        <translation>Les figures n&apos;ont pas pu être calculées&#xa0;: {error}. Les détails sont dans le fichier journal.</translation>
    </message>
    <message>
        <source>SVG files (*.svg)</source>
        <translation>Fichiers SVG (*.svg)</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Save the figure</source>
        <translation>Enregistrer la figure</translation>
    </message>
    <message>
        <source>The file could not be written: {error}</source>
        <translation>Le fichier n&apos;a pas pu être écrit&#xa0;: {error}</translation>
    </message>
</context>
<context>
    <name>UserEditDialog</name>
    <message>
        <source>New user</source>
        <translation>Nouvel utilisateur</translation>
    </message>
    <message>
        <source>Roles of {user}</source>
        <translation>Rôles de {user}</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Identifiant&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;First name:</source>
        <translation>&amp;Prénom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Last name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Temporary password:</source>
        <translation>Mot de passe &amp;temporaire&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Motif&#xa0;:</translation>
    </message>
    <message>
        <source>R&amp;oles per site:</source>
        <translation>Rô&amp;les par centre&#xa0;:</translation>
    </message>
    <message>
        <source>Give this password to the user; they must change it at their first login.</source>
        <translation>Transmettez ce mot de passe à l&apos;utilisateur&#xa0;; il devra le changer à sa première connexion.</translation>
    </message>
    <message>
        <source>Why the roles change (audit trail)</source>
        <translation>Motif du changement de rôles (piste d&apos;audit)</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tous les centres</translation>
    </message>
    <message>
        <source>&amp;Create user</source>
        <translation>&amp;Créer l&apos;utilisateur</translation>
    </message>
    <message>
        <source>&amp;Save roles</source>
        <translation>&amp;Enregistrer les rôles</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
    <message>
        <source>Data manager</source>
        <translation>Data manager</translation>
    </message>
    <message>
        <source>Investigator</source>
        <translation>Investigateur</translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation>TEC / coordinateur·rice d&apos;étude</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>ARC moniteur</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Roles per site</source>
        <translation>Rôles par centre</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Last login</source>
        <translation>Dernière connexion</translation>
    </message>
    <message>
        <source>&amp;New user…</source>
        <translation>&amp;Nouvel utilisateur…</translation>
    </message>
    <message>
        <source>Edit &amp;roles…</source>
        <translation>Modifier les &amp;rôles…</translation>
    </message>
    <message>
        <source>&amp;Unlock…</source>
        <translation>&amp;Déverrouiller…</translation>
    </message>
    <message>
        <source>Reset &amp;password…</source>
        <translation>Réinitialiser le &amp;mot de passe…</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
    <message>
        <source>Data manager</source>
        <translation>Data manager</translation>
    </message>
    <message>
        <source>Investigator</source>
        <translation>Investigateur</translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation>TEC / coordinateur·rice d&apos;étude</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>ARC moniteur</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Verrouillé</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>all sites</source>
        <translation>tous les centres</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>&amp;Enable…</source>
        <translation>&amp;Activer…</translation>
    </message>
    <message>
        <source>&amp;Disable…</source>
        <translation>Dés&amp;activer…</translation>
    </message>
    <message>
        <source>Enable {user}</source>
        <translation>Activer {user}</translation>
    </message>
    <message>
        <source>{name} ({user}) will be able to log in again.</source>
        <translation>{name} ({user}) pourra de nouveau se connecter.</translation>
    </message>
    <message>
        <source>Disable {user}</source>
        <translation>Désactiver {user}</translation>
    </message>
    <message>
        <source>{name} ({user}) will no longer be able to log in. The account and everything it recorded are kept.</source>
        <translation>{name} ({user}) ne pourra plus se connecter. Le compte et tout ce qu&apos;il a enregistré sont conservés.</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Activer</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>Dés&amp;activer</translation>
    </message>
    <message>
        <source>Unlock {user}</source>
        <translation>Déverrouiller {user}</translation>
    </message>
    <message>
        <source>{name} ({user}) was locked after too many wrong passwords. Unlocking lets them try again with their password.</source>
        <translation>{name} ({user}) a été verrouillé après trop de mots de passe erronés. Le déverrouillage permet de réessayer avec son mot de passe.</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <source>Reset the password of {user}</source>
        <translation>Réinitialiser le mot de passe de {user}</translation>
    </message>
    <message>
        <source>{name} ({user}) gets the temporary password below and must change it at the next login. The account is unlocked.</source>
        <translation>{name} ({user}) reçoit le mot de passe temporaire ci-dessous et devra le changer à la prochaine connexion. Le compte est déverrouillé.</translation>
    </message>
    <message>
        <source>&amp;Reset password</source>
        <translation>&amp;Réinitialiser le mot de passe</translation>
    </message>
</context>
<context>
    <name>VisitTreeModel</name>
    <message>
        <source>{form} · day {day}</source>
        <translation>{form} · J{day}</translation>
    </message>
    <message>
        <source>«{item}» is one of {codes}</source>
        <translation>«&#xa0;{item}&#xa0;» vaut l&apos;un de&#xa0;: {codes}</translation>
    </message>
    <message>
        <source>«{item}» includes {code}</source>
        <translation>«&#xa0;{item}&#xa0;» inclut {code}</translation>
    </message>
    <message>
        <source>{item} is filled in</source>
        <translation>{item} est renseigné</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>Visit / form</source>
        <translation>Visite / formulaire</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>{event} {number}</source>
        <translation>{event} {number}</translation>
    </message>
    <message>
        <source>{form}, version {version}: {state}</source>
        <translation>{form}, version {version}&#xa0;: {state}</translation>
    </message>
    <message>
        <source>Optional: filled in when done.</source>
        <translation>Facultatif&#xa0;: à remplir si réalisé.</translation>
    </message>
    <message>
        <source>Only when: {condition}</source>
        <translation>Uniquement si&#xa0;: {condition}</translation>
    </message>
    <message>
        <source>{state} ({count})</source>
        <translation>{state} ({count})</translation>
    </message>
    <message>
        <source>{title}: {state}</source>
        <translation>{title}&#xa0;: {state}</translation>
    </message>
    <message>
        <source>{title}, {state}</source>
        <translation>{title}, {state}</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source> (carried forward from the last marrow)</source>
        <translation> (reporté du dernier myélogramme)</translation>
    </message>
    <message>
        <source>&quot;{text}&quot; is not a CTCAE v{version} term: choose one from the list</source>
        <translation>«&#xa0;{text}&#xa0;» n&apos;est pas un terme CTCAE v{version}&#xa0;: choisissez-en un dans la liste</translation>
    </message>
    <message>
        <source>+25% from nadir and absolute increase &gt;= 5 g/L</source>
        <translation>+25&#xa0;% par rapport au nadir et augmentation absolue ≥&#xa0;5 g/L</translation>
    </message>
    <message>
        <source>, {pct:+.0f}% from baseline {base}</source>
        <translation>, {pct:+.0f}&#xa0;% par rapport à l&apos;inclusion ({base})</translation>
    </message>
    <message>
        <source>, {pct:+.0f}% from nadir {nadir}</source>
        <translation>, {pct:+.0f}&#xa0;% par rapport au nadir ({nadir})</translation>
    </message>
    <message>
        <source>A reason for the change is required.</source>
        <translation>Un motif de modification est obligatoire.</translation>
    </message>
    <message>
        <source>A reason is required for this change.</source>
        <translation>Un motif est obligatoire pour cette modification.</translation>
    </message>
    <message>
        <source>A reason is required.</source>
        <translation>Un motif est obligatoire.</translation>
    </message>
    <message>
        <source>A site code is 1-3 digits, e.g. 03.</source>
        <translation>Un code de centre comporte 1 à 3 chiffres, par exemple 03.</translation>
    </message>
    <message>
        <source>A user name is 2-64 characters: lower-case letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter.</source>
        <translation>Un identifiant comporte 2 à 64 caractères&#xa0;: lettres minuscules, chiffres, &apos;.&apos;, &apos;_&apos; ou &apos;-&apos;, et commence par une lettre.</translation>
    </message>
    <message>
        <source>ALT</source>
        <translation>ALAT</translation>
    </message>
    <message>
        <source>ANC</source>
        <translation>PNN</translation>
    </message>
    <message>
        <source>ANC {anc:g} x10^9/L &lt; {limit:g}</source>
        <translation>PNN {anc:g} ×10⁹/L &lt; {limit:g}</translation>
    </message>
    <message>
        <source>AST</source>
        <translation>ASAT</translation>
    </message>
    <message>
        <source>AST and ALT</source>
        <translation>ASAT et ALAT</translation>
    </message>
    <message>
        <source>Able to take thromboprophylaxis</source>
        <translation>Thromboprophylaxie possible</translation>
    </message>
    <message>
        <source>Absolute neutrophil count</source>
        <translation>Polynucléaires neutrophiles</translation>
    </message>
    <message>
        <source>Adult age</source>
        <translation>Âge adulte</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Âge</translation>
    </message>
    <message>
        <source>An administrator already exists; log in instead.</source>
        <translation>Un administrateur existe déjà&#xa0;; connectez-vous.</translation>
    </message>
    <message>
        <source>Bilirubin</source>
        <translation>Bilirubine</translation>
    </message>
    <message>
        <source>CR: negative immunofixation of serum and urine, no plasmacytoma, bone-marrow plasma cells &lt; 5%</source>
        <translation>CR&#xa0;: immunofixation sérique et urinaire négative, aucun plasmocytome, plasmocytes médullaires &lt;&#xa0;5&#xa0;%</translation>
    </message>
    <message>
        <source>Choose at least one form to sign.</source>
        <translation>Choisissez au moins un formulaire à signer.</translation>
    </message>
    <message>
        <source>Confirm value: {label} {value}{unit} is above the usual range ({usual})</source>
        <translation>Valeur à confirmer&#xa0;: {label} {value}{unit} est au-dessus des valeurs habituelles ({usual})</translation>
    </message>
    <message>
        <source>Confirm value: {label} {value}{unit} is below the usual range ({usual})</source>
        <translation>Valeur à confirmer&#xa0;: {label} {value}{unit} est en dessous des valeurs habituelles ({usual})</translation>
    </message>
    <message>
        <source>Confirm value: {warnings}</source>
        <translation>Valeur à confirmer&#xa0;: {warnings}</translation>
    </message>
    <message>
        <source>Creatinine clearance</source>
        <translation>Clairance de la créatinine</translation>
    </message>
    <message>
        <source>Creatinine clearance (Cockcroft-Gault)</source>
        <translation>Clairance de la créatinine (Cockcroft-Gault)</translation>
    </message>
    <message>
        <source>Creatinine clearance cannot be computed: no {inputs}</source>
        <translation>clairance de la créatinine non calculable (données manquantes&#xa0;: {inputs})</translation>
    </message>
    <message>
        <source>Describe the deviation.</source>
        <translation>Décrivez la déviation.</translation>
    </message>
    <message>
        <source>Desquamating rash or hypersensitivity to thalidomide/lenalidomide</source>
        <translation>Éruption desquamative ou hypersensibilité au thalidomide/lénalidomide</translation>
    </message>
    <message>
        <source>Documented multiple myeloma</source>
        <translation>Myélome multiple documenté</translation>
    </message>
    <message>
        <source>ECOG</source>
        <translation>ECOG</translation>
    </message>
    <message>
        <source>ECOG performance status</source>
        <translation>Indice de performance ECOG</translation>
    </message>
    <message>
        <source>Enter the LLN, the ULN or both.</source>
        <translation>Saisissez la LIN, la LSN ou les deux.</translation>
    </message>
    <message>
        <source>FLC difference (involved - uninvolved)</source>
        <translation>différence des CLL (impliquée - non impliquée)</translation>
    </message>
    <message>
        <source>FLC difference fall of 25-49% alone is SD (MR is defined on M-protein)</source>
        <translation>une baisse de 25 à 49&#xa0;% de la seule différence des CLL est une SD (la MR se définit sur la protéine monoclonale)</translation>
    </message>
    <message>
        <source>FLC not done</source>
        <translation>CLL non dosées</translation>
    </message>
    <message>
        <source>FLC ratio</source>
        <translation>Rapport des CLL</translation>
    </message>
    <message>
        <source>FLC ratio not done</source>
        <translation>rapport des CLL non dosé</translation>
    </message>
    <message>
        <source>FLC ratio {ratio:f} is abnormal</source>
        <translation>rapport des CLL {ratio:f} anormal</translation>
    </message>
    <message>
        <source>FLC ratio {ratio:f} is normal ({low:f}-{high:f})</source>
        <translation>rapport des CLL {ratio:f} normal ({low:f}-{high:f})</translation>
    </message>
    <message>
        <source>First and last name are required.</source>
        <translation>Le prénom et le nom sont obligatoires.</translation>
    </message>
    <message>
        <source>Give a reason for changing saved data: {names}.</source>
        <translation>Donnez un motif pour la modification des données enregistrées&#xa0;: {names}.</translation>
    </message>
    <message>
        <source>Give the birth date or at least the birth year.</source>
        <translation>Indiquez la date de naissance ou au moins l&apos;année de naissance.</translation>
    </message>
    <message>
        <source>Give the reason for not following the advice.</source>
        <translation>Donnez le motif pour ne pas suivre la proposition.</translation>
    </message>
    <message>
        <source>Give the reason for the new list.</source>
        <translation>Donnez le motif de la nouvelle liste.</translation>
    </message>
    <message>
        <source>Give the reason for the screen failure.</source>
        <translation>Donnez le motif de l&apos;échec de sélection.</translation>
    </message>
    <message>
        <source>Give the user at least one role.</source>
        <translation>Attribuez au moins un rôle à l&apos;utilisateur.</translation>
    </message>
    <message>
        <source>ISS stage at study entry</source>
        <translation>stade ISS à l&apos;inclusion</translation>
    </message>
    <message>
        <source>Informed consent signed before any study procedure</source>
        <translation>Consentement éclairé signé avant toute procédure de l&apos;étude</translation>
    </message>
    <message>
        <source>Initials are 1-3 letters (A-Z), e.g. MD or J-P.</source>
        <translation>Les initiales comportent 1 à 3 lettres (A-Z), par exemple MD ou J-P.</translation>
    </message>
    <message>
        <source>Involved FLC</source>
        <translation>CLL impliquée</translation>
    </message>
    <message>
        <source>Known HIV or active hepatitis B or C</source>
        <translation>VIH connu ou hépatite B ou C active</translation>
    </message>
    <message>
        <source>Line {line}: {exc}</source>
        <translation>Ligne {line}&#xa0;: {exc!l}</translation>
    </message>
    <message>
        <source>Locked by the data manager</source>
        <translation>Verrouillé par le data manager</translation>
    </message>
    <message>
        <source>MR needs &gt;= 25% reduction</source>
        <translation>la MR exige une diminution d&apos;au moins 25&#xa0;%</translation>
    </message>
    <message>
        <source>MR: FLC difference reduced &gt;= 25% (flc_minimal_response setting)</source>
        <translation>MR&#xa0;: différence des CLL diminuée d&apos;au moins 25&#xa0;% (paramètre flc_minimal_response)</translation>
    </message>
    <message>
        <source>MR: {criteria}</source>
        <translation>MR&#xa0;: {criteria}</translation>
    </message>
    <message>
        <source>Measurable disease</source>
        <translation>Maladie mesurable</translation>
    </message>
    <message>
        <source>Missing - {name}: {sentence}</source>
        <translation>Manquant - {name}&#xa0;: {sentence}</translation>
    </message>
    <message>
        <source>Missing CSV columns: {columns}.</source>
        <translation>Colonnes CSV manquantes&#xa0;: {columns}.</translation>
    </message>
    <message>
        <source>Missing for stratification: {what}.</source>
        <translation>Manquant pour la stratification&#xa0;: {what}.</translation>
    </message>
    <message>
        <source>NE: no measurable parameter was done</source>
        <translation>NE&#xa0;: aucun paramètre mesurable n&apos;a été réalisé</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>No age at screening: no dose advice.</source>
        <translation>Pas d&apos;âge à la sélection&#xa0;: pas de proposition de dose.</translation>
    </message>
    <message>
        <source>No allocation list for stratum {stratum}.</source>
        <translation>Aucune liste d&apos;allocation pour la strate {stratum}.</translation>
    </message>
    <message>
        <source>No dose advice: {exc}</source>
        <translation>Pas de proposition de dose&#xa0;: {exc!l}</translation>
    </message>
    <message>
        <source>No form #{form_data_id}.</source>
        <translation>Aucun formulaire n° {form_data_id}.</translation>
    </message>
    <message>
        <source>No normal range #{range_id}.</source>
        <translation>Aucune valeur normale n° {range_id}.</translation>
    </message>
    <message>
        <source>No patient #{patient_id}.</source>
        <translation>Aucun patient n° {patient_id}.</translation>
    </message>
    <message>
        <source>No query #{query_id}.</source>
        <translation>Aucune query n° {query_id}.</translation>
    </message>
    <message>
        <source>No review of this value.</source>
        <translation>Aucune revue de cette valeur.</translation>
    </message>
    <message>
        <source>No site {code}.</source>
        <translation>Aucun centre {code}.</translation>
    </message>
    <message>
        <source>No site {site_code}.</source>
        <translation>Aucun centre {site_code}.</translation>
    </message>
    <message>
        <source>No site {site}.</source>
        <translation>Aucun centre {site}.</translation>
    </message>
    <message>
        <source>No such patient.</source>
        <translation>Patient introuvable.</translation>
    </message>
    <message>
        <source>No user #{user_id}.</source>
        <translation>Aucun utilisateur n° {user_id}.</translation>
    </message>
    <message>
        <source>No value {item_oid} in form #{form_data_id}.</source>
        <translation>Aucune valeur {item_oid} dans le formulaire n° {form_data_id}.</translation>
    </message>
    <message>
        <source>Not met - {name}: {sentence}</source>
        <translation>Non rempli - {name}&#xa0;: {sentence}</translation>
    </message>
    <message>
        <source>Not randomizable: {problems}</source>
        <translation>Randomisation impossible&#xa0;: {problems!l}</translation>
    </message>
    <message>
        <source>Only a SQLite database file can be backed up this way.</source>
        <translation>Seul un fichier de base SQLite peut être sauvegardé de cette façon.</translation>
    </message>
    <message>
        <source>Only a complete form can be verified.</source>
        <translation>Seul un formulaire complet peut être vérifié.</translation>
    </message>
    <message>
        <source>Only the staff of site {code} can edit its data</source>
        <translation>Seule l’équipe du centre {code} peut modifier ses données</translation>
    </message>
    <message>
        <source>Other recent malignancy</source>
        <translation>Autre cancer récent</translation>
    </message>
    <message>
        <source>PD: FLC difference {value} up {increase:.1f} mg/L from nadir {nadir} (+25% and &gt; 100 mg/L; serum and urine unmeasurable)</source>
        <translation>PD&#xa0;: différence des CLL {value}, en hausse de {increase:.1f} mg/L depuis le nadir de {nadir} (+25&#xa0;% et &gt;&#xa0;100 mg/L&#xa0;; sérum et urine non mesurables)</translation>
    </message>
    <message>
        <source>PD: bone-marrow plasma cells {value:g}% up {increase:g} points from nadir {nadir:g}% (+25% and &gt;= 10 points; confirmed at once)</source>
        <translation>PD&#xa0;: plasmocytes médullaires {value:g}&#xa0;%, en hausse de {increase:g} points depuis le nadir de {nadir:g}&#xa0;% (+25&#xa0;% et ≥&#xa0;10 points&#xa0;; confirmée d&apos;emblée)</translation>
    </message>
    <message>
        <source>PD: corrected calcium {calcium:.2f} mmol/L &gt; {limit:g} mmol/L (hypercalcaemia, counted as attributed to myeloma)</source>
        <translation>PD&#xa0;: calcémie corrigée {calcium:.2f} mmol/L &gt;&#xa0;{limit:g} mmol/L (hypercalcémie, considérée comme imputable au myélome)</translation>
    </message>
    <message>
        <source>PD: new bone lesion or plasmacytoma (confirmed at once)</source>
        <translation>PD&#xa0;: nouvelle lésion osseuse ou nouveau plasmocytome (confirmée d&apos;emblée)</translation>
    </message>
    <message>
        <source>PD: new plasmacytoma, SPD {value} (confirmed at once)</source>
        <translation>PD&#xa0;: nouveau plasmocytome, SPD {value} (confirmée d&apos;emblée)</translation>
    </message>
    <message>
        <source>PD: plasmacytoma SPD {value}, +{pct:.0f}% from nadir {nadir} (&gt;= 50% increase; confirmed at once)</source>
        <translation>PD&#xa0;: SPD des plasmocytomes {value}, +{pct:.0f}&#xa0;% depuis le nadir de {nadir} (augmentation ≥&#xa0;50&#xa0;%&#xa0;; confirmée d&apos;emblée)</translation>
    </message>
    <message>
        <source>PD: serum M-protein {value} up {increase:.1f} g/L from nadir {nadir} ({rule})</source>
        <translation>PD&#xa0;: protéine monoclonale sérique {value}, en hausse de {increase:.1f} g/L depuis le nadir de {nadir} ({rule})</translation>
    </message>
    <message>
        <source>PD: urine M-protein {value} up {increase:.0f} mg/24 h from nadir {nadir} (+25% and &gt;= 200 mg/24 h)</source>
        <translation>PD&#xa0;: protéine monoclonale urinaire {value}, en hausse de {increase:.0f} mg/24 h depuis le nadir de {nadir} (+25&#xa0;% et ≥&#xa0;200 mg/24 h)</translation>
    </message>
    <message>
        <source>PR needs &gt;= 50% reduction</source>
        <translation>la PR exige une diminution d&apos;au moins 50&#xa0;%</translation>
    </message>
    <message>
        <source>PR: FLC difference reduced &gt;= 50% (serum and urine unmeasurable)</source>
        <translation>PR&#xa0;: différence des CLL diminuée d&apos;au moins 50&#xa0;% (sérum et urine non mesurables)</translation>
    </message>
    <message>
        <source>PR: bone-marrow plasma cells reduced &gt;= 50% (baseline {base:g}% &gt;= {measurable:g}%; serum, urine and FLC unmeasurable)</source>
        <translation>PR&#xa0;: plasmocytes médullaires diminués d&apos;au moins 50&#xa0;% (inclusion {base:g}&#xa0;% ≥&#xa0;{measurable:g}&#xa0;%&#xa0;; sérum, urine et CLL non mesurables)</translation>
    </message>
    <message>
        <source>PR: {criteria}</source>
        <translation>PR&#xa0;: {criteria}</translation>
    </message>
    <message>
        <source>Peripheral neuropathy</source>
        <translation>Neuropathie périphérique</translation>
    </message>
    <message>
        <source>Platelet count</source>
        <translation>Plaquettes</translation>
    </message>
    <message>
        <source>Platelets</source>
        <translation>Plaquettes</translation>
    </message>
    <message>
        <source>Please correct: {problems}</source>
        <translation>Veuillez corriger&#xa0;: {problems!l}</translation>
    </message>
    <message>
        <source>Pregnancy or breastfeeding</source>
        <translation>Grossesse ou allaitement</translation>
    </message>
    <message>
        <source>Pregnancy tests and contraception (women of childbearing potential)</source>
        <translation>Tests de grossesse et contraception (femmes en âge de procréer)</translation>
    </message>
    <message>
        <source>Prior lines</source>
        <translation>Lignes antérieures</translation>
    </message>
    <message>
        <source>Prior lines of therapy</source>
        <translation>Lignes de traitement antérieures</translation>
    </message>
    <message>
        <source>Prior pomalidomide</source>
        <translation>Pomalidomide antérieur</translation>
    </message>
    <message>
        <source>Refractory to lenalidomide and bortezomib</source>
        <translation>Réfractaire au lénalidomide et au bortézomib</translation>
    </message>
    <message>
        <source>SD: criteria for MR or better not met, no progression</source>
        <translation>SD&#xa0;: critères de MR ou mieux non atteints, pas de progression</translation>
    </message>
    <message>
        <source>Say why the query is re-opened.</source>
        <translation>Indiquez pourquoi la query est rouverte.</translation>
    </message>
    <message>
        <source>Say why the value is not clinically significant.</source>
        <translation>Indiquez pourquoi la valeur n&apos;est pas cliniquement significative.</translation>
    </message>
    <message>
        <source>Serum M-protein</source>
        <translation>Protéine monoclonale sérique</translation>
    </message>
    <message>
        <source>Sex is M or F.</source>
        <translation>Le sexe est M ou F.</translation>
    </message>
    <message>
        <source>Sex is M, F or empty (both sexes).</source>
        <translation>Le sexe est M, F ou vide (les deux sexes).</translation>
    </message>
    <message>
        <source>Signed by the investigator: the signature must be withdrawn to change it</source>
        <translation>Signé par l’investigateur&#xa0;: la signature doit être retirée pour le modifier</translation>
    </message>
    <message>
        <source>Site {code} exists already.</source>
        <translation>Le centre {code} existe déjà.</translation>
    </message>
    <message>
        <source>Site {code} is not active yet: an administrator must activate it before data can be entered</source>
        <translation>Le centre {code} n’est pas encore actif&#xa0;: un administrateur doit l’activer avant toute saisie</translation>
    </message>
    <message>
        <source>Site {code} is not active.</source>
        <translation>Le centre {code} n&apos;est pas actif.</translation>
    </message>
    <message>
        <source>Site {site_code} is not active yet: an administrator must activate it before data can be entered.</source>
        <translation>Le centre {site_code} n&apos;est pas encore actif&#xa0;: un administrateur doit l&apos;activer avant toute saisie.</translation>
    </message>
    <message>
        <source>Somebody else saved this form at the same moment. Your input is kept: reopen the form, then save again.</source>
        <translation>Quelqu&apos;un d&apos;autre a enregistré ce formulaire au même moment. Votre saisie est conservée&#xa0;: rouvrez le formulaire, puis enregistrez à nouveau.</translation>
    </message>
    <message>
        <source>The ISS stage at study entry is missing.</source>
        <translation>Le stade ISS à l&apos;inclusion manque.</translation>
    </message>
    <message>
        <source>The LLN must be below the ULN.</source>
        <translation>La LIN doit être inférieure à la LSN.</translation>
    </message>
    <message>
        <source>The allocation list of stratum {stratum} is used up. A data manager must append a new list before the next randomization.</source>
        <translation>La liste d&apos;allocation de la strate {stratum} est épuisée. Un data manager doit ajouter une nouvelle liste avant la prochaine randomisation.</translation>
    </message>
    <message>
        <source>The backup could not be written to {folder}: {exc}</source>
        <translation>La sauvegarde n&apos;a pas pu être écrite dans {folder}&#xa0;: {exc}</translation>
    </message>
    <message>
        <source>The backup is the database itself.</source>
        <translation>La sauvegarde est la base elle-même.</translation>
    </message>
    <message>
        <source>The backup was not restored: {problems}</source>
        <translation>La sauvegarde n&apos;a pas été restaurée&#xa0;: {problems!l}</translation>
    </message>
    <message>
        <source>The birth date is in the future.</source>
        <translation>La date de naissance est dans le futur.</translation>
    </message>
    <message>
        <source>The birth year must be between 1900 and {year}.</source>
        <translation>L&apos;année de naissance doit être comprise entre 1900 et {year}.</translation>
    </message>
    <message>
        <source>The consent date is before the birth date.</source>
        <translation>La date du consentement est antérieure à la date de naissance.</translation>
    </message>
    <message>
        <source>The consent date is in the future.</source>
        <translation>La date du consentement est dans le futur.</translation>
    </message>
    <message>
        <source>The current password is wrong.</source>
        <translation>Le mot de passe actuel est incorrect.</translation>
    </message>
    <message>
        <source>The demo is built only in an empty database; this one has users.</source>
        <translation>La démonstration ne se construit que dans une base vide&#xa0;; celle-ci a des utilisateurs.</translation>
    </message>
    <message>
        <source>The demo needs between 1 and 99 sites.</source>
        <translation>La démonstration demande entre 1 et 99 centres.</translation>
    </message>
    <message>
        <source>The dose level must be a number, not {level_mg!r}.</source>
        <translation>Le palier de dose doit être un nombre, pas {level_mg!r}.</translation>
    </message>
    <message>
        <source>The form is locked; a data manager must unlock it first.</source>
        <translation>Le formulaire est verrouillé&#xa0;; un data manager doit d&apos;abord le déverrouiller.</translation>
    </message>
    <message>
        <source>The form was not saved: {problems}</source>
        <translation>Le formulaire n&apos;a pas été enregistré&#xa0;: {problems!l}</translation>
    </message>
    <message>
        <source>The form {form_name} is not due on day {day} of the visit {event_name}.</source>
        <translation>Le formulaire {form_name} n&apos;est pas prévu à J{day} de la visite {event_name}.</translation>
    </message>
    <message>
        <source>The form {form_name} is not part of the visit {event_name}.</source>
        <translation>Le formulaire {form_name} ne fait pas partie de la visite {event_name}.</translation>
    </message>
    <message>
        <source>The new password must differ from the old one.</source>
        <translation>Le nouveau mot de passe doit être différent de l&apos;ancien.</translation>
    </message>
    <message>
        <source>The number of patients cannot be negative.</source>
        <translation>Le nombre de patients ne peut pas être négatif.</translation>
    </message>
    <message>
        <source>The passphrase cannot be empty.</source>
        <translation>La phrase secrète ne peut pas être vide.</translation>
    </message>
    <message>
        <source>The password needs {problems}.</source>
        <translation>Le mot de passe doit comporter {problems}.</translation>
    </message>
    <message>
        <source>The patient is not randomized: no dose advice.</source>
        <translation>Le patient n&apos;est pas randomisé&#xa0;: pas de proposition de dose.</translation>
    </message>
    <message>
        <source>The patient&apos;s data are locked by the data manager</source>
        <translation>Les données du patient sont verrouillées par le data manager</translation>
    </message>
    <message>
        <source>The patient&apos;s data are locked by the data manager.</source>
        <translation>Les données du patient sont verrouillées par le data manager.</translation>
    </message>
    <message>
        <source>The query is {status}; it cannot be {verb} now.</source>
        <translation>La query est à l&apos;état {status}&#xa0;; action impossible maintenant ({verb}).</translation>
    </message>
    <message>
        <source>The screen-failure rate must be at least 0 and below 1.</source>
        <translation>Le taux d&apos;échec de sélection doit être au moins 0 et inférieur à 1.</translation>
    </message>
    <message>
        <source>The site needs a name.</source>
        <translation>Le centre doit avoir un nom.</translation>
    </message>
    <message>
        <source>The start of the period is after its end.</source>
        <translation>Le début de la période est après sa fin.</translation>
    </message>
    <message>
        <source>The stratification values changed since they were shown; review them again before randomizing.</source>
        <translation>Les valeurs de stratification ont changé depuis leur affichage&#xa0;; vérifiez-les à nouveau avant de randomiser.</translation>
    </message>
    <message>
        <source>The text is {length} characters long; at most {limit} are allowed</source>
        <translation>Le texte fait {length} caractères&#xa0;; {limit} au maximum sont permis</translation>
    </message>
    <message>
        <source>The treatment has ended: there is no dose advice to decide.</source>
        <translation>Le traitement est terminé&#xa0;: il n&apos;y a pas de proposition de dose à décider.</translation>
    </message>
    <message>
        <source>The unit is required.</source>
        <translation>L&apos;unité est obligatoire.</translation>
    </message>
    <message>
        <source>The user ID is not the one of the logged-in user.</source>
        <translation>L&apos;identifiant n&apos;est pas celui de l&apos;utilisateur connecté.</translation>
    </message>
    <message>
        <source>The user name {username} is taken.</source>
        <translation>L&apos;identifiant {username} est déjà pris.</translation>
    </message>
    <message>
        <source>The visit {event_name} has no occurrence {event_repeat}.</source>
        <translation>La visite {event_name} n&apos;a pas d&apos;occurrence {event_repeat}.</translation>
    </message>
    <message>
        <source>There is no form {form_oid} in the study.</source>
        <translation>Il n&apos;y a pas de formulaire {form_oid} dans l&apos;étude.</translation>
    </message>
    <message>
        <source>There is no visit {event_oid} in the study.</source>
        <translation>Il n&apos;y a pas de visite {event_oid} dans l&apos;étude.</translation>
    </message>
    <message>
        <source>This account is disabled. Ask an administrator.</source>
        <translation>Ce compte est désactivé. Adressez-vous à un administrateur.</translation>
    </message>
    <message>
        <source>This account is locked after too many failed attempts. Ask an administrator to unlock it.</source>
        <translation>Ce compte est bloqué après trop d&apos;échecs. Demandez à un administrateur de le débloquer.</translation>
    </message>
    <message>
        <source>This dosing form is signed, locked or removed: the decision cannot be stored in it.</source>
        <translation>Ce formulaire de dose est signé, verrouillé ou supprimé&#xa0;: la décision ne peut pas y être enregistrée.</translation>
    </message>
    <message>
        <source>This form was removed</source>
        <translation>Ce formulaire a été supprimé</translation>
    </message>
    <message>
        <source>This study randomizes with the {used} method since its first patient; the method ({method} in the study settings) cannot change now.</source>
        <translation>Cette étude randomise avec la méthode {used} depuis son premier patient&#xa0;; la méthode ({method} dans les paramètres de l&apos;étude) ne peut plus changer.</translation>
    </message>
    <message>
        <source>Total bilirubin</source>
        <translation>Bilirubine totale</translation>
    </message>
    <message>
        <source>Uncontrolled infection</source>
        <translation>Infection non contrôlée</translation>
    </message>
    <message>
        <source>Unknown drug {drug!r}.</source>
        <translation>Médicament inconnu {drug!r}.</translation>
    </message>
    <message>
        <source>Unknown lab test {test!r}: one of {tests}.</source>
        <translation>Examen biologique inconnu {test!r}&#xa0;: l&apos;un de {tests}.</translation>
    </message>
    <message>
        <source>Unknown query status {status}.</source>
        <translation>État de query inconnu {status}.</translation>
    </message>
    <message>
        <source>Unknown site {site_code}.</source>
        <translation>Centre inconnu {site_code}.</translation>
    </message>
    <message>
        <source>Unknown user name or wrong password (1 attempt left before the account locks).</source>
        <translation>Identifiant inconnu ou mot de passe incorrect (encore 1 essai avant le blocage du compte).</translation>
    </message>
    <message>
        <source>Unknown user name or wrong password ({left} attempts left before the account locks).</source>
        <translation>Identifiant inconnu ou mot de passe incorrect (encore {left} essais avant le blocage du compte).</translation>
    </message>
    <message>
        <source>Unknown user name or wrong password.</source>
        <translation>Identifiant inconnu ou mot de passe incorrect.</translation>
    </message>
    <message>
        <source>Unknown user.</source>
        <translation>Utilisateur inconnu.</translation>
    </message>
    <message>
        <source>Urine M-protein</source>
        <translation>Protéine monoclonale urinaire</translation>
    </message>
    <message>
        <source>VGPR needs &gt;= 50% reduction</source>
        <translation>la VGPR exige une diminution d&apos;au moins 50&#xa0;%</translation>
    </message>
    <message>
        <source>VGPR: FLC difference reduced &gt;= 90% (light-chain-only disease)</source>
        <translation>VGPR&#xa0;: différence des CLL diminuée d&apos;au moins 90&#xa0;% (myélome à chaînes légères seules)</translation>
    </message>
    <message>
        <source>VGPR: M-protein detectable by immunofixation only (serum and urine electrophoresis negative)</source>
        <translation>VGPR&#xa0;: protéine monoclonale détectable uniquement en immunofixation (électrophorèses sérique et urinaire négatives)</translation>
    </message>
    <message>
        <source>VGPR: serum M-protein reduced &gt;= 90% with urine M-protein &lt; 100 mg/24 h</source>
        <translation>VGPR&#xa0;: protéine monoclonale sérique diminuée d&apos;au moins 90&#xa0;% et protéine monoclonale urinaire &lt;&#xa0;100 mg/24 h</translation>
    </message>
    <message>
        <source>VGPR: urine M-protein &lt; 100 mg/24 h</source>
        <translation>VGPR&#xa0;: protéine monoclonale urinaire &lt;&#xa0;100 mg/24 h</translation>
    </message>
    <message>
        <source>Write the answer.</source>
        <translation>Rédigez la réponse.</translation>
    </message>
    <message>
        <source>Write the question of the query.</source>
        <translation>Rédigez la question de la query.</translation>
    </message>
    <message>
        <source>Wrong password. The account is now locked after {failed_attempts} failed attempts; ask an administrator to unlock it.</source>
        <translation>Mot de passe incorrect. Le compte est maintenant bloqué après {failed_attempts} échecs&#xa0;; demandez à un administrateur de le débloquer.</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>Vous ne pouvez pas désactiver votre propre compte.</translation>
    </message>
    <message>
        <source>You cannot see the patients of site {code}.</source>
        <translation>Vous ne pouvez pas voir les patients du centre {code}.</translation>
    </message>
    <message>
        <source>Your role cannot edit data</source>
        <translation>Votre rôle ne permet pas de modifier les données</translation>
    </message>
    <message>
        <source>Your role cannot record protocol deviations.</source>
        <translation>Votre rôle ne permet pas d&apos;enregistrer des déviations au protocole.</translation>
    </message>
    <message>
        <source>Your role cannot withdraw signatures.</source>
        <translation>Votre rôle ne permet pas de retirer des signatures.</translation>
    </message>
    <message>
        <source>Your role does not allow randomizing at this site.</source>
        <translation>Votre rôle ne permet pas de randomiser dans ce centre.</translation>
    </message>
    <message>
        <source>Your role does not give access to patient data.</source>
        <translation>Votre rôle ne donne pas accès aux données des patients.</translation>
    </message>
    <message>
        <source>a form of patient {number} comes before the patient in the transfer file; nothing was imported</source>
        <translation>un formulaire du patient {number} précède le patient dans le fichier de transfert&#xa0;; rien n&apos;a été importé</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrateur</translation>
    </message>
    <message>
        <source>age</source>
        <translation>âge</translation>
    </message>
    <message>
        <source>age {age:g} &gt; {limit:g}: dexamethasone {dose} (starting dose for patients older than {limit:g})</source>
        <translation>âge {age:g} &gt; {limit:g}&#xa0;: dexaméthasone {dose} (dose initiale après {limit:g} ans)</translation>
    </message>
    <message>
        <source>another user</source>
        <translation>un autre utilisateur</translation>
    </message>
    <message>
        <source>answer query</source>
        <translation>répondre aux queries</translation>
    </message>
    <message>
        <source>assessment {number} ({date})</source>
        <translation>évaluation {number} ({date})</translation>
    </message>
    <message>
        <source>at least one digit</source>
        <translation>au moins un chiffre</translation>
    </message>
    <message>
        <source>at least one letter</source>
        <translation>au moins une lettre</translation>
    </message>
    <message>
        <source>at least {count} characters</source>
        <translation>au moins {count} caractères</translation>
    </message>
    <message>
        <source>at least {low:g}{unit}</source>
        <translation>au moins {low:g}{unit}</translation>
    </message>
    <message>
        <source>at most {high:g}{unit}</source>
        <translation>au plus {high:g}{unit}</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>inclusion</translation>
    </message>
    <message>
        <source>baseline: bm_pc must be a percentage (0-100)</source>
        <translation>inclusion&#xa0;: bm_pc doit être un pourcentage (0-100)</translation>
    </message>
    <message>
        <source>baseline: involved_flc must be &apos;kappa&apos;, &apos;lambda&apos; or null</source>
        <translation>inclusion&#xa0;: involved_flc doit valoir &apos;kappa&apos;, &apos;lambda&apos; ou null</translation>
    </message>
    <message>
        <source>birth date</source>
        <translation>date de naissance</translation>
    </message>
    <message>
        <source>bone-marrow plasma cells</source>
        <translation>plasmocytes médullaires</translation>
    </message>
    <message>
        <source>bone-marrow plasma cells not done</source>
        <translation>plasmocytes médullaires non évalués</translation>
    </message>
    <message>
        <source>checklist No</source>
        <translation>liste de contrôle&#xa0;: Non</translation>
    </message>
    <message>
        <source>checklist Yes</source>
        <translation>liste de contrôle&#xa0;: Oui</translation>
    </message>
    <message>
        <source>checklist not answered</source>
        <translation>liste de contrôle sans réponse</translation>
    </message>
    <message>
        <source>close query</source>
        <translation>clore les queries</translation>
    </message>
    <message>
        <source>consent date not entered</source>
        <translation>date du consentement non saisie</translation>
    </message>
    <message>
        <source>consent {consent} after first study procedure {procedure}</source>
        <translation>consentement du {consent} postérieur à la première procédure de l&apos;étude du {procedure}</translation>
    </message>
    <message>
        <source>consent {consent} on or before first procedure {procedure}</source>
        <translation>consentement du {consent} au plus tard le jour de la première procédure du {procedure}</translation>
    </message>
    <message>
        <source>coordinator</source>
        <translation>TEC / coordinateur·rice d&apos;étude</translation>
    </message>
    <message>
        <source>creatinine</source>
        <translation>créatinine</translation>
    </message>
    <message>
        <source>cycle start: ANC not available (needs &gt;= {limit:g} x10^9/L): delay day 1, re-check weekly</source>
        <translation>début de cycle&#xa0;: PNN non disponibles (≥ {limit:g} ×10⁹/L requis)&#xa0;: reporter le J1, recontrôler chaque semaine</translation>
    </message>
    <message>
        <source>cycle start: ANC {anc:g} x10^9/L &lt; {limit:g}: delay day 1, re-check weekly</source>
        <translation>début de cycle&#xa0;: PNN {anc:g} ×10⁹/L &lt; {limit:g}&#xa0;: reporter le J1, recontrôler chaque semaine</translation>
    </message>
    <message>
        <source>cycle start: platelets not available (needs &gt;= {limit:g} x10^9/L): delay day 1, re-check weekly</source>
        <translation>début de cycle&#xa0;: plaquettes non disponibles (≥ {limit:g} ×10⁹/L requis)&#xa0;: reporter le J1, recontrôler chaque semaine</translation>
    </message>
    <message>
        <source>cycle start: platelets {platelets:g} x10^9/L &lt; {limit:g}: delay day 1, re-check weekly</source>
        <translation>début de cycle&#xa0;: plaquettes {platelets:g} ×10⁹/L &lt; {limit:g}&#xa0;: reporter le J1, recontrôler chaque semaine</translation>
    </message>
    <message>
        <source>data manager</source>
        <translation>data manager</translation>
    </message>
    <message>
        <source>days 1-21</source>
        <translation>J1-J21</translation>
    </message>
    <message>
        <source>days 1-28</source>
        <translation>J1-J28</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>décédé</translation>
    </message>
    <message>
        <source>dexamethasone</source>
        <translation>dexaméthasone</translation>
    </message>
    <message>
        <source>dexamethasone already discontinued</source>
        <translation>dexaméthasone déjà arrêtée</translation>
    </message>
    <message>
        <source>dexamethasone on hold and the interrupting conditions have cleared</source>
        <translation>dexaméthasone suspendue et les conditions de l’interruption ont disparu</translation>
    </message>
    <message>
        <source>disappearance required</source>
        <translation>disparition exigée</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vide</translation>
    </message>
    <message>
        <source>enroll</source>
        <translation>inclure des patients</translation>
    </message>
    <message>
        <source>enter data</source>
        <translation>saisir des données</translation>
    </message>
    <message>
        <source>export</source>
        <translation>exporter</translation>
    </message>
    <message>
        <source>febrile neutropenia</source>
        <translation>neutropénie fébrile</translation>
    </message>
    <message>
        <source>first study procedure date not entered</source>
        <translation>date de la première procédure de l&apos;étude non saisie</translation>
    </message>
    <message>
        <source>follow up</source>
        <translation>en suivi</translation>
    </message>
    <message>
        <source>increase &gt;= {increase:g} g/L from a nadir &gt;= {nadir:g} g/L</source>
        <translation>augmentation ≥&#xa0;{increase:g} g/L à partir d&apos;un nadir ≥&#xa0;{nadir:g} g/L</translation>
    </message>
    <message>
        <source>interrupt dexamethasone, resume at {level} when grade &lt;= {grade}</source>
        <translation>interrompre la dexaméthasone, reprendre à {level} quand le grade est ≤ {grade}</translation>
    </message>
    <message>
        <source>interrupt pomalidomide, CBC weekly, resume at {level} when ANC &gt;= {anc:g}</source>
        <translation>interrompre le pomalidomide, NFS chaque semaine, reprendre à {level} quand les PNN sont ≥ {anc:g}</translation>
    </message>
    <message>
        <source>interrupt pomalidomide, CBC weekly, resume at {level} when platelets &gt;= {platelets:g}</source>
        <translation>interrompre le pomalidomide, NFS chaque semaine, reprendre à {level} quand les plaquettes sont ≥ {platelets:g}</translation>
    </message>
    <message>
        <source>interrupt pomalidomide, resume at {level} when grade &lt;= {grade}</source>
        <translation>interrompre le pomalidomide, reprendre à {level} quand le grade est ≤ {grade}</translation>
    </message>
    <message>
        <source>investigator</source>
        <translation>investigateur</translation>
    </message>
    <message>
        <source>involved FLC</source>
        <translation>CLL impliquée</translation>
    </message>
    <message>
        <source>iss</source>
        <translation>ISS</translation>
    </message>
    <message>
        <source>it ends the site {site} audit trail at #{seq}, before #{last} already received: it is older than the last import</source>
        <translation>il arrête la piste d&apos;audit du centre {site} à l&apos;enregistrement n° {seq}, avant le n° {last} déjà reçu&#xa0;: il est plus ancien que le dernier import</translation>
    </message>
    <message>
        <source>keep pomalidomide interrupted, resume at {level} when ANC &gt;= {anc:g} and platelets &gt;= {platelets:g}</source>
        <translation>maintenir l’interruption du pomalidomide, reprendre à {level} quand les PNN sont ≥ {anc:g} et les plaquettes ≥ {platelets:g}</translation>
    </message>
    <message>
        <source>lock</source>
        <translation>verrouiller</translation>
    </message>
    <message>
        <source>manage allocation lists</source>
        <translation>gérer les listes d&apos;allocation</translation>
    </message>
    <message>
        <source>manage lab ranges</source>
        <translation>gérer les valeurs normales</translation>
    </message>
    <message>
        <source>manage settings</source>
        <translation>gérer les paramètres</translation>
    </message>
    <message>
        <source>manage sites</source>
        <translation>gérer les centres</translation>
    </message>
    <message>
        <source>manage users</source>
        <translation>gérer les utilisateurs</translation>
    </message>
    <message>
        <source>marrow clonality not done</source>
        <translation>clonalité médullaire non évaluée</translation>
    </message>
    <message>
        <source>meanwhile</source>
        <translation>entre-temps</translation>
    </message>
    <message>
        <source>monitor</source>
        <translation>ARC moniteur</translation>
    </message>
    <message>
        <source>must not contain the user name</source>
        <translation>ne doit pas contenir l&apos;identifiant</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>négative</translation>
    </message>
    <message>
        <source>new_therapy_date must be after the baseline date</source>
        <translation>new_therapy_date doit être postérieure à la date d&apos;inclusion</translation>
    </message>
    <message>
        <source>no date of the screening disease assessment</source>
        <translation>pas de date pour l&apos;évaluation de la maladie à la sélection</translation>
    </message>
    <message>
        <source>no disease assessment after baseline</source>
        <translation>aucune évaluation de la maladie après l&apos;inclusion</translation>
    </message>
    <message>
        <source>no measurable parameter: {reasons}</source>
        <translation>aucun paramètre mesurable&#xa0;: {reasons}</translation>
    </message>
    <message>
        <source>no modification rule applies: give dexamethasone {dose} (days 1, 8, 15, 22)</source>
        <translation>aucune règle de modification ne s’applique&#xa0;: dexaméthasone {dose} (J1, J8, J15, J22)</translation>
    </message>
    <message>
        <source>no modification rule applies: give pomalidomide {dose} ({days})</source>
        <translation>aucune règle de modification ne s’applique&#xa0;: pomalidomide {dose} ({days})</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>aucun rôle</translation>
    </message>
    <message>
        <source>no screening disease assessment</source>
        <translation>pas d&apos;évaluation de la maladie à la sélection</translation>
    </message>
    <message>
        <source>not applicable: male patient</source>
        <translation>sans objet&#xa0;: patient de sexe masculin</translation>
    </message>
    <message>
        <source>not applicable: not of childbearing potential</source>
        <translation>sans objet&#xa0;: pas en âge de procréer</translation>
    </message>
    <message>
        <source>off treatment</source>
        <translation>hors traitement</translation>
    </message>
    <message>
        <source>on or after the start of new therapy: not assessed</source>
        <translation>le jour ou après le début d&apos;un nouveau traitement&#xa0;: non évalué</translation>
    </message>
    <message>
        <source>on treatment</source>
        <translation>sous traitement</translation>
    </message>
    <message>
        <source>patient {number} belongs to another site at central; nothing was imported</source>
        <translation>le patient {number} appartient à un autre centre dans la base centrale&#xa0;; rien n&apos;a été importé</translation>
    </message>
    <message>
        <source>plasmacytoma SPD</source>
        <translation>SPD des plasmocytomes</translation>
    </message>
    <message>
        <source>plasmacytoma SPD not measured ({requirement})</source>
        <translation>SPD des plasmocytomes non mesurée ({requirement})</translation>
    </message>
    <message>
        <source>platelets {platelets:g} x10^9/L &lt; {limit:g}</source>
        <translation>plaquettes {platelets:g} ×10⁹/L &lt; {limit:g}</translation>
    </message>
    <message>
        <source>pomalidomide</source>
        <translation>pomalidomide</translation>
    </message>
    <message>
        <source>pomalidomide already discontinued</source>
        <translation>pomalidomide déjà arrêté</translation>
    </message>
    <message>
        <source>pomalidomide on hold and the blood counts are not available</source>
        <translation>pomalidomide suspendu et numération non disponible</translation>
    </message>
    <message>
        <source>pomalidomide on hold and the interrupting conditions have cleared</source>
        <translation>pomalidomide suspendu et les conditions de l’interruption ont disparu</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>positive</translation>
    </message>
    <message>
        <source>raise query</source>
        <translation>émettre des queries</translation>
    </message>
    <message>
        <source>randomize</source>
        <translation>randomiser</translation>
    </message>
    <message>
        <source>randomized</source>
        <translation>randomisé</translation>
    </message>
    <message>
        <source>record #{seq} differs from the one received before (hash {hash}...): the site&apos;s history was altered between two transfers</source>
        <translation>l&apos;enregistrement n° {seq} diffère de celui reçu auparavant (empreinte {hash}...)&#xa0;: l&apos;historique du centre a été modifié entre deux transferts</translation>
    </message>
    <message>
        <source>record #{seq} does not match its hash (it was altered)</source>
        <translation>l&apos;enregistrement n° {seq} ne correspond pas à son empreinte (il a été modifié)</translation>
    </message>
    <message>
        <source>record #{seq} is missing</source>
        <translation>l&apos;enregistrement n° {seq} manque</translation>
    </message>
    <message>
        <source>reports</source>
        <translation>éditer des rapports</translation>
    </message>
    <message>
        <source>resume one level lower, at {level}</source>
        <translation>reprendre un palier en dessous, à {level}</translation>
    </message>
    <message>
        <source>sCR: CR plus normal FLC ratio ({low:g}-{high:g}) and no clonal plasma cells in bone marrow</source>
        <translation>sCR&#xa0;: CR avec rapport des CLL normal ({low:g}-{high:g}) et absence de plasmocytes clonaux médullaires</translation>
    </message>
    <message>
        <source>screen failed</source>
        <translation>en échec de sélection</translation>
    </message>
    <message>
        <source>screening</source>
        <translation>en sélection</translation>
    </message>
    <message>
        <source>serum</source>
        <translation>sérum</translation>
    </message>
    <message>
        <source>serum M-protein</source>
        <translation>protéine monoclonale sérique</translation>
    </message>
    <message>
        <source>serum M-protein not done</source>
        <translation>protéine monoclonale sérique non dosée</translation>
    </message>
    <message>
        <source>serum M-protein reduced &gt;= 25%</source>
        <translation>protéine monoclonale sérique diminuée d&apos;au moins 25&#xa0;%</translation>
    </message>
    <message>
        <source>serum M-protein reduced &gt;= 50%</source>
        <translation>protéine monoclonale sérique diminuée d&apos;au moins 50&#xa0;%</translation>
    </message>
    <message>
        <source>serum immunofixation not done</source>
        <translation>immunofixation sérique non faite</translation>
    </message>
    <message>
        <source>serum immunofixation {result}</source>
        <translation>immunofixation sérique {result}</translation>
    </message>
    <message>
        <source>sex</source>
        <translation>sexe</translation>
    </message>
    <message>
        <source>sign</source>
        <translation>signer</translation>
    </message>
    <message>
        <source>site</source>
        <translation>centre</translation>
    </message>
    <message>
        <source>the ODM export is incomplete (no closing ODM element)</source>
        <translation>l&apos;export ODM est incomplet (pas d&apos;élément ODM de fin)</translation>
    </message>
    <message>
        <source>the converted copy {target} failed its check: {problems}</source>
        <translation>la copie convertie {target} a échoué à sa vérification&#xa0;: {problems}</translation>
    </message>
    <message>
        <source>the form status</source>
        <translation>le statut du formulaire</translation>
    </message>
    <message>
        <source>the randomization of patient {number} comes before the patient in the transfer file; nothing was imported</source>
        <translation>la randomisation du patient {number} précède le patient dans le fichier de transfert&#xa0;; rien n&apos;a été importé</translation>
    </message>
    <message>
        <source>the site {site} audit chain ends at #{seq}, not at the stated #{stated}</source>
        <translation>la chaîne d&apos;audit du centre {site} s&apos;arrête au n° {seq}, et non au n° {stated} annoncé</translation>
    </message>
    <message>
        <source>the site {site} audit chain is broken: {problem}</source>
        <translation>la chaîne d&apos;audit du centre {site} est rompue&#xa0;: {problem}</translation>
    </message>
    <message>
        <source>the transfer section is missing</source>
        <translation>la section de transfert manque</translation>
    </message>
    <message>
        <source>the transfer section names no site</source>
        <translation>la section de transfert ne nomme aucun centre</translation>
    </message>
    <message>
        <source>unexpected {tag} outside the transfer section</source>
        <translation>élément {tag} inattendu hors de la section de transfert</translation>
    </message>
    <message>
        <source>unknown element {tag} in the transfer section</source>
        <translation>élément {tag} inconnu dans la section de transfert</translation>
    </message>
    <message>
        <source>urine</source>
        <translation>urine</translation>
    </message>
    <message>
        <source>urine M-protein</source>
        <translation>protéine monoclonale urinaire</translation>
    </message>
    <message>
        <source>urine M-protein not done</source>
        <translation>protéine monoclonale urinaire non dosée</translation>
    </message>
    <message>
        <source>urine M-protein reduced &gt;= 50%</source>
        <translation>protéine monoclonale urinaire diminuée d&apos;au moins 50&#xa0;%</translation>
    </message>
    <message>
        <source>urine M-protein reduced &gt;= 90% or &lt; 200 mg/24 h</source>
        <translation>protéine monoclonale urinaire diminuée d&apos;au moins 90&#xa0;% ou &lt;&#xa0;200 mg/24 h</translation>
    </message>
    <message>
        <source>urine immunofixation not done</source>
        <translation>immunofixation urinaire non faite</translation>
    </message>
    <message>
        <source>urine immunofixation {result}</source>
        <translation>immunofixation urinaire {result}</translation>
    </message>
    <message>
        <source>verify source</source>
        <translation>vérifier les données source</translation>
    </message>
    <message>
        <source>view audit</source>
        <translation>consulter l&apos;audit</translation>
    </message>
    <message>
        <source>view patients</source>
        <translation>consulter les patients</translation>
    </message>
    <message>
        <source>view randomization log</source>
        <translation>consulter le journal de randomisation</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>poids</translation>
    </message>
    <message>
        <source>years</source>
        <translation>ans</translation>
    </message>
    <message>
        <source>{category} confirmed at once</source>
        <translation>{category} confirmée d&apos;emblée</translation>
    </message>
    <message>
        <source>{category} confirmed by the next assessment</source>
        <translation>{category} confirmée par l&apos;évaluation suivante</translation>
    </message>
    <message>
        <source>{category} not claimed: {missing}</source>
        <translation>{category} non retenue&#xa0;: {missing}</translation>
    </message>
    <message>
        <source>{category} not confirmed yet: no later assessment</source>
        <translation>{category} pas encore confirmée&#xa0;: pas d&apos;évaluation ultérieure</translation>
    </message>
    <message>
        <source>{category} not confirmed: next assessment is {following}</source>
        <translation>{category} non confirmée&#xa0;: l&apos;évaluation suivante est {following}</translation>
    </message>
    <message>
        <source>{cleaned} is not a date: there is no month {month}</source>
        <translation>{cleaned} n&apos;est pas une date&#xa0;: il n&apos;y a pas de mois {month}</translation>
    </message>
    <message>
        <source>{cleaned} is not a time of day (00:00 to 23:59)</source>
        <translation>{cleaned} n&apos;est pas une heure (00:00 à 23:59)</translation>
    </message>
    <message>
        <source>{cleaned} is not a whole number</source>
        <translation>{cleaned} n&apos;est pas un nombre entier</translation>
    </message>
    <message>
        <source>{cleaned}: give a whole number (no decimals)</source>
        <translation>{cleaned}&#xa0;: donnez un nombre entier (sans décimales)</translation>
    </message>
    <message>
        <source>{cleaned}: give at most 1 decimal</source>
        <translation>{cleaned}&#xa0;: donnez au plus 1 décimale</translation>
    </message>
    <message>
        <source>{cleaned}: give at most {decimals} decimals</source>
        <translation>{cleaned}&#xa0;: donnez au plus {decimals} décimales</translation>
    </message>
    <message>
        <source>{cleaned}: the day cannot be known when the month is not (UN/UNK/yyyy)</source>
        <translation>{cleaned}&#xa0;: le jour ne peut pas être connu si le mois ne l&apos;est pas (UN/UNK/aaaa)</translation>
    </message>
    <message>
        <source>{file} fails its checksum (SHA-256 {actual}, the file states {stated}): it was altered or truncated after it was written; nothing was imported</source>
        <translation>{file} ne correspond pas à sa somme de contrôle (SHA-256 {actual}, le fichier annonce {stated})&#xa0;: il a été modifié ou tronqué après son écriture&#xa0;; rien n&apos;a été importé</translation>
    </message>
    <message>
        <source>{file} has no transfer section: it is a plain ODM export; write it with &apos;ctrial export transfer&apos;</source>
        <translation>{file} n&apos;a pas de section de transfert&#xa0;: c&apos;est un simple export ODM&#xa0;; l&apos;écrire avec «&#xa0;ctrial export transfer&#xa0;»</translation>
    </message>
    <message>
        <source>{file} is not a transfer file: it has no checksum line (write it with &apos;ctrial export transfer&apos;)</source>
        <translation>{file} n&apos;est pas un fichier de transfert&#xa0;: il n&apos;a pas de ligne de somme de contrôle (l&apos;écrire avec «&#xa0;ctrial export transfer&#xa0;»)</translation>
    </message>
    <message>
        <source>{file}: {problem}; nothing was imported</source>
        <translation>{file}&#xa0;: {problem}&#xa0;; rien n&apos;a été importé</translation>
    </message>
    <message>
        <source>{first} and {second}</source>
        <translation>{first} et {second}</translation>
    </message>
    <message>
        <source>{first}; {then}</source>
        <translation>{first}&#xa0;; {then}</translation>
    </message>
    <message>
        <source>{form_name} is at version {current}, not {expected} as when you opened it. Your input is kept: reopen the form, then save again.</source>
        <translation>{form_name} est à la version {current}, et non {expected} comme à son ouverture. Votre saisie est conservée&#xa0;: rouvrez le formulaire, puis enregistrez à nouveau.</translation>
    </message>
    <message>
        <source>{form_name} of {patient_number} cannot be changed: {reason}.</source>
        <translation>{form_name} de {patient_number} ne peut pas être modifié&#xa0;: {reason!l}.</translation>
    </message>
    <message>
        <source>{form_oid} of {patient_number} is not complete and cannot be signed.</source>
        <translation>{form_oid} de {patient_number} n&apos;est pas complet et ne peut pas être signé.</translation>
    </message>
    <message>
        <source>{form_oid} of {patient_number} is signed already.</source>
        <translation>{form_oid} de {patient_number} est déjà signé.</translation>
    </message>
    <message>
        <source>{item_oid} is not a graded laboratory value.</source>
        <translation>{item_oid} n&apos;est pas une valeur biologique gradée.</translation>
    </message>
    <message>
        <source>{item_oid} is not an item of {group_oid} in {oid}.</source>
        <translation>{item_oid} n&apos;est pas un item de {group_oid} dans {oid}.</translation>
    </message>
    <message>
        <source>{label} (removed)</source>
        <translation>{label} (supprimé)</translation>
    </message>
    <message>
        <source>{label} (row {row}) is required</source>
        <translation>{label} (ligne {row}) est obligatoire</translation>
    </message>
    <message>
        <source>{label} cannot be negative</source>
        <translation>{label} ne peut pas être négatif</translation>
    </message>
    <message>
        <source>{label} is calculated by the application and cannot be typed</source>
        <translation>{label} est calculé par l&apos;application et ne peut pas être saisi</translation>
    </message>
    <message>
        <source>{label} is required</source>
        <translation>{label} est obligatoire</translation>
    </message>
    <message>
        <source>{label}: row {repeat} does not exist.</source>
        <translation>{label}&#xa0;: la ligne {repeat} n&apos;existe pas.</translation>
    </message>
    <message>
        <source>{label}: {value}{unit} is above the highest possible value ({highest:g}{unit})</source>
        <translation>{label}&#xa0;: {value}{unit} est au-dessus de la valeur maximale possible ({highest:g}{unit})</translation>
    </message>
    <message>
        <source>{label}: {value}{unit} is below the lowest possible value ({lowest:g}{unit})</source>
        <translation>{label}&#xa0;: {value}{unit} est en dessous de la valeur minimale possible ({lowest:g}{unit})</translation>
    </message>
    <message>
        <source>{limit} must be a number of 0 or more.</source>
        <translation>{limit} doit être un nombre supérieur ou égal à 0.</translation>
    </message>
    <message>
        <source>{limit} must be a number, not {text!r}.</source>
        <translation>{limit} doit être un nombre, pas {text!r}.</translation>
    </message>
    <message>
        <source>{month:02d}/{year:04d} is in the future</source>
        <translation>{month:02d}/{year:04d} est dans le futur</translation>
    </message>
    <message>
        <source>{names} saved this form at {when}, after you opened it, and changed: {what}. Your input is kept: review these changes, then save again.</source>
        <translation>{names} a enregistré ce formulaire à {when}, après votre ouverture, et a modifié&#xa0;: {what}. Votre saisie est conservée&#xa0;: vérifiez ces modifications, puis enregistrez à nouveau.</translation>
    </message>
    <message>
        <source>{name} not entered</source>
        <translation>{name}&#xa0;: valeur non saisie</translation>
    </message>
    <message>
        <source>{name} upper limit of normal not entered</source>
        <translation>{name}&#xa0;: limite supérieure de la normale non saisie</translation>
    </message>
    <message>
        <source>{name} {value:f} &lt;= {factor:f} x ULN ({limit:f})</source>
        <translation>{name} {value:f} ≤ {factor:f} x LSN ({limit:f})</translation>
    </message>
    <message>
        <source>{name} {value:f} &gt; {factor:f} x ULN ({limit:f})</source>
        <translation>{name} {value:f} &gt; {factor:f} x LSN ({limit:f})</translation>
    </message>
    <message>
        <source>{name} {value} &lt; {limit:f} required</source>
        <translation>{name} {value} &lt; {limit:f} requis</translation>
    </message>
    <message>
        <source>{name} {value} &lt;= {limit:f}</source>
        <translation>{name} {value} ≤ {limit:f}</translation>
    </message>
    <message>
        <source>{name} {value} &gt; {limit:f} allowed</source>
        <translation>{name} {value} &gt; {limit:f} autorisé</translation>
    </message>
    <message>
        <source>{name} {value} &gt;= {limit:f}</source>
        <translation>{name} {value} ≥ {limit:f}</translation>
    </message>
    <message>
        <source>{number} is already randomized.</source>
        <translation>{number} est déjà randomisé.</translation>
    </message>
    <message>
        <source>{number} is {status}.</source>
        <translation>{number}&#xa0;: {status}.</translation>
    </message>
    <message>
        <source>{patient_number} is {status}, not in screening.</source>
        <translation>{patient_number}&#xa0;: {status}, pas en sélection.</translation>
    </message>
    <message>
        <source>{reason} (bone-marrow plasma cells {bmpc:f}% &lt; {threshold:f}%)</source>
        <translation>{reason} (plasmocytes médullaires {bmpc:f}&#xa0;% &lt;&#xa0;{threshold:f}&#xa0;%)</translation>
    </message>
    <message>
        <source>{reason} (ticked No on the checklist)</source>
        <translation>{reason} (coché Non sur la liste de contrôle)</translation>
    </message>
    <message>
        <source>{reason} (ticked Yes on the checklist)</source>
        <translation>{reason} (coché Oui sur la liste de contrôle)</translation>
    </message>
    <message>
        <source>{reason} with bone-marrow plasma cells {bmpc:f}% &gt;= {threshold:f}%</source>
        <translation>{reason} avec plasmocytes médullaires {bmpc:f}&#xa0;% ≥&#xa0;{threshold:f}&#xa0;%</translation>
    </message>
    <message>
        <source>{reason}; bone-marrow plasma cells not entered (the limit is {limit:f} if they are &gt;= {threshold:f}%)</source>
        <translation>{reason}&#xa0;; plasmocytes médullaires non saisis (la limite est {limit:f} s&apos;ils sont ≥&#xa0;{threshold:f}&#xa0;%)</translation>
    </message>
    <message>
        <source>{role}@*</source>
        <translation>{role}, tous les centres</translation>
    </message>
    <message>
        <source>{role}@{site}</source>
        <translation>{role}, centre {site}</translation>
    </message>
    <message>
        <source>{rule}, plasmacytoma SPD reduced &gt;= 25%</source>
        <translation>{rule}, SPD des plasmocytomes diminuée d&apos;au moins 25&#xa0;%</translation>
    </message>
    <message>
        <source>{rule}, plasmacytoma SPD reduced &gt;= 50%</source>
        <translation>{rule}, SPD des plasmocytomes diminuée d&apos;au moins 50&#xa0;%</translation>
    </message>
    <message>
        <source>{shown} is in the future</source>
        <translation>{shown} est dans le futur</translation>
    </message>
    <message>
        <source>{shown} is not a date</source>
        <translation>{shown} n&apos;est pas une date</translation>
    </message>
    <message>
        <source>{shown}: the year must be {year} or earlier</source>
        <translation>{shown}&#xa0;: l&apos;année doit être {year} ou antérieure</translation>
    </message>
    <message>
        <source>{shown}: the year must be {year} or later</source>
        <translation>{shown}&#xa0;: l&apos;année doit être {year} ou postérieure</translation>
    </message>
    <message>
        <source>{source} could not be converted: {message}</source>
        <translation>{source} n&apos;a pas pu être converti&#xa0;: {message!l}</translation>
    </message>
    <message>
        <source>{source} does not exist.</source>
        <translation>{source} n&apos;existe pas.</translation>
    </message>
    <message>
        <source>{source} is not a plain SQLite database (already encrypted?).</source>
        <translation>{source} n&apos;est pas une base SQLite en clair (déjà chiffrée&#xa0;?).</translation>
    </message>
    <message>
        <source>{source} is not encrypted.</source>
        <translation>{source} n&apos;est pas chiffré.</translation>
    </message>
    <message>
        <source>{target} already exists; choose a new file name.</source>
        <translation>{target} existe déjà&#xa0;; choisissez un autre nom de fichier.</translation>
    </message>
    <message>
        <source>{term} grade {grade} recurred at 1 mg: discontinue pomalidomide</source>
        <translation>{term} grade {grade} récidivant à 1 mg&#xa0;: arrêter le pomalidomide</translation>
    </message>
    <message>
        <source>{term} grade {grade} related to dexamethasone</source>
        <translation>{term} grade {grade} lié à la dexaméthasone</translation>
    </message>
    <message>
        <source>{term} grade {grade} related to pomalidomide</source>
        <translation>{term} grade {grade} lié au pomalidomide</translation>
    </message>
    <message>
        <source>{term} grade {grade}: discontinue pomalidomide permanently (angio-oedema, exfoliative or bullous rash)</source>
        <translation>{term} grade {grade}&#xa0;: arrêt définitif du pomalidomide (angio-œdème, éruption exfoliative ou bulleuse)</translation>
    </message>
    <message>
        <source>{term} grade {grade}: grade 4 rash, discontinue pomalidomide permanently</source>
        <translation>{term} grade {grade}&#xa0;: éruption de grade 4, arrêt définitif du pomalidomide</translation>
    </message>
    <message>
        <source>{text} has too many digits</source>
        <translation>{text} a trop de chiffres</translation>
    </message>
    <message>
        <source>{text} is not a date: the day must be a number or UN</source>
        <translation>{text} n&apos;est pas une date&#xa0;: le jour doit être un nombre ou UN</translation>
    </message>
    <message>
        <source>{text} is not a date: the month must be 1-12, a month name or UNK</source>
        <translation>{text} n&apos;est pas une date&#xa0;: le mois doit être 1-12, un nom de mois ou UNK</translation>
    </message>
    <message>
        <source>{text} is not a date: type it as dd/mm/yyyy</source>
        <translation>{text} n&apos;est pas une date&#xa0;: saisissez-la sous la forme jj/mm/aaaa</translation>
    </message>
    <message>
        <source>{text} is not a date: type it as dd/mm/yyyy, mm/yyyy, UN/mm/yyyy, UN/UNK/yyyy or yyyy</source>
        <translation>{text} n&apos;est pas une date&#xa0;: saisissez-la sous la forme jj/mm/aaaa, mm/aaaa, UN/mm/aaaa, UN/UNK/aaaa ou aaaa</translation>
    </message>
    <message>
        <source>{text} is not a number</source>
        <translation>{text} n&apos;est pas un nombre</translation>
    </message>
    <message>
        <source>{text} is not a number: it contains letters</source>
        <translation>{text} n&apos;est pas un nombre&#xa0;: il contient des lettres</translation>
    </message>
    <message>
        <source>{text} is not a time: type it as hh:mm, e.g. 09:30</source>
        <translation>{text} n&apos;est pas une heure&#xa0;: saisissez-la sous la forme hh:mm, par exemple 09:30</translation>
    </message>
    <message>
        <source>{text} is not one of the choices</source>
        <translation>{text} ne fait pas partie des choix</translation>
    </message>
    <message>
        <source>{text}: answer yes or no</source>
        <translation>{text}&#xa0;: répondez oui ou non</translation>
    </message>
    <message>
        <source>{text}: give the year with 4 digits</source>
        <translation>{text}&#xa0;: donnez l&apos;année sur 4 chiffres</translation>
    </message>
    <message>
        <source>{text}: use one decimal separator (a comma or a point) and no thousands separator</source>
        <translation>{text}&#xa0;: utilisez un seul séparateur décimal (virgule ou point) et pas de séparateur de milliers</translation>
    </message>
    <message>
        <source>{tick} although {reason}</source>
        <translation>{tick} alors que {reason}</translation>
    </message>
    <message>
        <source>{username} ({roles}) is not allowed to {action}</source>
        <translation>{username} ({roles}) n&apos;est pas autorisé à {action}</translation>
    </message>
    <message>
        <source>{username} ({roles}) is not allowed to {action} at site {site}</source>
        <translation>{username} ({roles}) n&apos;est pas autorisé à {action} dans le centre {site}</translation>
    </message>
    <message>
        <source>{username} may not see the normal ranges of site {site_code}.</source>
        <translation>{username} ne peut pas voir les valeurs normales du centre {site_code}.</translation>
    </message>
    <message>
        <source>{value:g} mg is not a dose level ({allowed} mg).</source>
        <translation>{value:g} mg n&apos;est pas un palier de dose ({allowed} mg).</translation>
    </message>
    <message>
        <source>{value:g}%</source>
        <translation>{value:g}&#xa0;%</translation>
    </message>
    <message>
        <source>{what} with fever</source>
        <translation>{what} avec fièvre</translation>
    </message>
    <message>
        <source>{what}: {drug} at {dose}, the lowest level: discontinue {drug}</source>
        <translation>{what}&#xa0;: {drug} à {dose}, palier le plus bas&#xa0;: {drug} à arrêter</translation>
    </message>
    <message>
        <source>{what}: {then}</source>
        <translation>{what}&#xa0;: {then}</translation>
    </message>
    <message>
        <source>{where}: bm_pc must be a percentage (0-100)</source>
        <translation>{where}&#xa0;: bm_pc doit être un pourcentage (0-100)</translation>
    </message>
    <message>
        <source>{where}: date must be after the baseline date</source>
        <translation>{where}&#xa0;: la date doit être postérieure à la date d&apos;inclusion</translation>
    </message>
    <message>
        <source>{where}: date must be after the previous assessment</source>
        <translation>{where}&#xa0;: la date doit être postérieure à celle de l&apos;évaluation précédente</translation>
    </message>
    <message>
        <source>{where}: {name} must be &apos;positive&apos;, &apos;negative&apos; or null</source>
        <translation>{where}&#xa0;: {name} doit valoir &apos;positive&apos;, &apos;negative&apos; ou null</translation>
    </message>
    <message>
        <source>{where}: {name} must not be negative (got {value})</source>
        <translation>{where}&#xa0;: {name} ne doit pas être négatif (valeur {value})</translation>
    </message>
    <message>
        <source>{year} is in the future</source>
        <translation>{year} est dans le futur</translation>
    </message>
</context>
</TS>
