"""The shared database: CRM contract tables, result tables, engine and migrations."""
from .base import Base
from .crm import (
    CrmAction, CrmAttachment, CrmCallLog, CrmContact, CrmCustomer, CrmCustomerPhone, CrmDailyPlan, CrmDocView,
    CrmInventory,
    CrmMessage, CrmOrg, CrmPhoto, CrmProposalRevision, CrmQuote, CrmRebateQuery, CrmRecording,
    CrmStore, CrmStoreEvent, CrmStoreNode, CrmUser,
)
from .results import (
    ALERT_STATES, FINAL_JOB_STATES, JOB_STATES, OPEN_ALERT_STATES,
    ApAlert, ApAudit, ApCheck, ApJob, ApOutbox, ApPhoto, ApQualityEvent, ApVerdict,
)
from .analysis import ApAnalysis, ApCommitment, ApKeyword, ApMention, ApMoney, ApNeed, ApObjection
from .scores import ApCqi, ApFunnel, ApProcessQuality, ApRadar, ApSuggestion
from .plans import GATE_STATES, PLAN_REASONS, PLAN_STATES, ApGateDecision, ApPlanItem
from .stores import PROMPT_STATES, ApAltSite, ApDriftSample, ApFunnelStep, ApRadarDigest, ApStorePrompt
from .speech import ApConversationMetrics, ApSegment, ApTranscript, ApVoiceSample

__all__ = [name for name in dir() if name.startswith(("Crm", "Ap"))] + [
    "Base", "PROMPT_STATES", "ALERT_STATES", "FINAL_JOB_STATES", "JOB_STATES", "OPEN_ALERT_STATES",
]
