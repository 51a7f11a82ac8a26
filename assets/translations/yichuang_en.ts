<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="255" />
        <source>审批例外情况 — </source>
        <translation>Approve exception — </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="260" />
        <source>审批意见：写明同意例外办理的理由</source>
        <translation>Approval comment: state why the exception is allowed</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="267" />
        <source>例外情况：</source>
        <translation>Exception:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="268" />
        <source>审批意见：</source>
        <translation>Approval comment:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="269" />
        <source>审批人用户名：</source>
        <translation>Approver user name:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="270" />
        <source>审批人密码：</source>
        <translation>Approver password:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="277" />
        <source>审批须由科长本人当场输入密码确认，并记入审计日志。</source>
        <translation>The supervisor must enter their own password here to approve; the approval is recorded in the audit log.</translation>
    </message>
</context><context>
    <name>CaseListModel</name>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="31" />
        <source>受理编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="32" />
        <source>业务类型</source>
        <translation>Business type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="33" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="34" />
        <source>申请人</source>
        <translation>Applicants</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="35" />
        <source>不动产单元号</source>
        <translation>Unit number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="36" />
        <source>坐落</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="37" />
        <source>受理人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="38" />
        <source>更新时间</source>
        <translation>Updated</translation>
    </message>
</context><context>
    <name>CaseView</name>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="277" />
        <location filename="../../workstation/ui/case_view.py" line="133" />
        <source>案件查看（只读）</source>
        <translation>View case (read-only)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="137" />
        <source>正在读取案件…</source>
        <translation>Loading the case…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="142" />
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="142" />
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="145" />
        <source>材料 / 扫描件</source>
        <translation>Material / scan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="146" />
        <source>必交</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="147" />
        <source>已收取</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="171" />
        <location filename="../../workstation/ui/case_view.py" line="148" />
        <source>份数</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="149" />
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="150" />
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="156" />
        <source>被核验人</source>
        <translation>Person checked</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="157" />
        <source>结论</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="158" />
        <source>比对距离／阈值</source>
        <translation>Distance / threshold</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="159" />
        <source>核验人</source>
        <translation>Checked by</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="160" />
        <source>放行主管</source>
        <translation>Overriding supervisor</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="161" />
        <source>核验时间</source>
        <translation>Checked at</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="162" />
        <source>照片</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="221" />
        <location filename="../../workstation/ui/case_view.py" line="168" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="169" />
        <source>文书</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="170" />
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="172" />
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="221" />
        <location filename="../../workstation/ui/case_view.py" line="191" />
        <location filename="../../workstation/ui/case_view.py" line="173" />
        <source>操作人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="179" />
        <source>材料及扫描件</source>
        <translation>Materials and scans</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="180" />
        <source>人证核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="181" />
        <source>打印记录</source>
        <translation>Print log</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="191" />
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="191" />
        <source>保存时间</source>
        <translation>Saved at</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="221" />
        <location filename="../../workstation/ui/case_view.py" line="191" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="194" />
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="194" />
        <source>原值</source>
        <translation>Old value</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="194" />
        <source>新值</source>
        <translation>New value</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="195" />
        <source>选择左侧的一个版本，查看它相对上一版本的改动。</source>
        <translation>Select a version on the left to see what changed from the previous version.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="210" />
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="211" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="212" />
        <source>发送次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="213" />
        <source>提交时间</source>
        <translation>Submitted at</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="214" />
        <source>送达时间</source>
        <translation>Delivered at</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="215" />
        <source>答复时间</source>
        <translation>Answered at</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="216" />
        <source>回执号</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="221" />
        <source>原状态</source>
        <translation>Old state</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="221" />
        <source>新状态</source>
        <translation>New state</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="225" />
        <source>各部门数据包</source>
        <translation>Department packages</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="225" />
        <source>案件状态变化</source>
        <translation>Case state changes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="235" />
        <source>案件信息(&amp;1)</source>
        <translation>&amp;1 Case details</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="236" />
        <source>材料与核验(&amp;2)</source>
        <translation>&amp;2 Materials and checks</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="237" />
        <source>版本记录(&amp;3)</source>
        <translation>&amp;3 Versions</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="238" />
        <source>送达记录(&amp;4)</source>
        <translation>&amp;4 Deliveries</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="267" />
        <source>无法打开案件：</source>
        <translation>Cannot open the case: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="280" />
        <source>状态：</source>
        <translation>State: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="283" />
        <source>本页只读；查看已记入审计日志。</source>
        <translation>Read-only; this viewing is recorded in the audit log.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="307" />
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="307" />
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="309" />
        <source>共享获取</source>
        <translation>Data sharing</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="331" />
        <source>未归入清单的扫描件</source>
        <translation>Scans not assigned to a material</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="354" />
        <source>本机保存（加密）</source>
        <translation>Stored on this computer (encrypted)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="358" />
        <source>（当事人已从案件中删除）</source>
        <translation>(party removed from the case)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="380" />
        <source>（保存为文件）</source>
        <translation>(saved to file)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="405" />
        <location filename="../../workstation/ui/case_view.py" line="395" />
        <source>扫描件 </source>
        <translation>Scan </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="395" />
        <source>本机没有该扫描件</source>
        <translation>This scan is not on this computer</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="401" />
        <source>本机保存（加密），</source>
        <translation>Stored on this computer (encrypted), </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="430" />
        <source>该案件还没有保存过完整版本（只有草稿）。</source>
        <translation>This case has no saved version yet (draft only).</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="446" />
        <source>第 %1 版是第一个版本：以下为其全部内容。</source>
        <translation>Version %1 is the first version; its full content follows.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="449" />
        <source>第 %1 版相对上一版本改动了 %2 项：</source>
        <translation>Version %1 changed %2 item(s) from the previous version:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="454" />
        <source>第 %1 版与上一版本内容相同（只是再次保存）。</source>
        <translation>Version %1 is the same as the previous version (saved again only).</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="481" />
        <source>数据包编号</source>
        <translation>Package number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="482" />
        <source>案件版本</source>
        <translation>Case version</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="485" />
        <source>更正的数据包</source>
        <translation>Corrects package</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_view.py" line="487" />
        <source>最近一次错误</source>
        <translation>Last error</translation>
    </message>
</context><context>
    <name>CaseWizard</name>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="199" />
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="200" />
        <source>下一步(&amp;N) &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="201" />
        <source>&lt; 上一步(&amp;B)</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="202" />
        <source>完成(&amp;F)</source>
        <translation>&amp;Finish</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="203" />
        <source>暂存并关闭</source>
        <translation>Save draft and close</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="205" />
        <source>下一页：Alt+→ 或 PageDown；最后一个字段按回车也会翻页</source>
        <translation>Next page: Alt+Right or PageDown; Enter in the last field also moves on</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="206" />
        <source>上一页：Alt+← 或 PageUp</source>
        <translation>Previous page: Alt+Left or PageUp</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="207" />
        <source>保存版本并标记为待提交</source>
        <translation>Save a version and mark the case ready</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="208" />
        <source>草稿已自动保存 (Ctrl+S 立即保存)，关闭后可从案件列表继续</source>
        <translation>The draft is saved automatically (Ctrl+S saves now); continue later from the case list</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="328" />
        <source>翻页保存</source>
        <translation>Saved at page change</translation>
    </message>
</context><context>
    <name>ContractLookup</name>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="105" />
        <source>请先输入合同网签备案编号，再按 F6 查询。</source>
        <translation>Enter the contract filing number first, then press F6 to look it up.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="127" />
        <source>交易系统有此合同，数据时间：</source>
        <translation>Contract found in the housing transaction system; data as of: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="142" />
        <source>交易系统中的合同</source>
        <translation>Contract in the housing transaction system</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="143" />
        <source>是否用该合同预填本案件？未录入的项目都会填写。</source>
        <translation>Prefill this case from the contract? All items not yet entered will be filled in.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="146" />
        <source>以下已录入的内容与合同不同：</source>
        <translation>The following entries differ from the contract:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="150" />
        <source>以合同为准覆盖(&amp;R)</source>
        <translation>&amp;Replace with contract data</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="151" />
        <source>只填空白项(&amp;K)</source>
        <translation>&amp;Keep entries, fill blanks only</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="159" />
        <source>预填(&amp;F)</source>
        <translation>&amp;Fill</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="164" />
        <source>不预填</source>
        <translation>Do not prefill</translation>
    </message>
</context><context>
    <name>DayReportTab</name>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="136" />
        <source>生成报表(&amp;G)</source>
        <translation>&amp;Generate report</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="139" />
        <source>另存 PDF(&amp;D)…</source>
        <translation>Save as P&amp;DF…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="142" />
        <source>签字确认(&amp;Q)…</source>
        <translation>&amp;Sign off…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="149" />
        <source>日期：</source>
        <translation>Date:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="151" />
        <source>范围：</source>
        <translation>Scope:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="181" />
        <source>正在生成…</source>
        <translation>Generating…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="208" />
        <source>已由%1于 %2 签字确认（存档版本）。</source>
        <translation>Signed off by %1 at %2 (archived version).</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="213" />
        <source>尚未签字：核对无误后点“签字确认”，由科长本人输入密码。</source>
        <translation>Not signed off yet: once checked, click “Sign off” and the supervisor enters their own password.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="242" />
        <source>另存日终报表</source>
        <translation>Save end-of-day report</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="244" />
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="255" />
        <source>已保存：</source>
        <translation>Saved: </translation>
    </message>
</context><context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../workstation/ui/errors.py" line="36" />
        <source>操作未完成</source>
        <translation>Not completed</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="43" />
        <source>程序错误</source>
        <translation>Program error</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="44" />
        <source>程序遇到意外错误。</source>
        <translation>The program met an unexpected error. </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="46" />
        <source>正在录入的内容已保存为草稿，重新打开案件即可继续。</source>
        <translation>What you were entering is saved as a draft; reopen the case to continue.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="50" />
        <source>（未配置日志文件）</source>
        <translation>(no log file configured)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="51" />
        <source>请把日志文件发给信息科：</source>
        <translation>Please send the log file to IT: </translation>
    </message>
</context><context>
    <name>FaceCheckPanel</name>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="220" />
        <source>人证核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="223" />
        <source>人证核验：</source>
        <translation>Identity check: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="228" />
        <source>选择照片文件(&amp;P)…</source>
        <translation>Choose &amp;photo file…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="230" />
        <source>没有芯片照片时，选择证件正面的扫描件或照片作为比对照片</source>
        <translation>If there is no chip photo, choose a scan or photo of the ID front to compare against</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="236" />
        <source>点击“开始核验”后显示摄像头画面</source>
        <translation>The camera image appears after clicking “Start check”</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="241" />
        <source>证件照片</source>
        <translation>ID photo</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="246" />
        <source>比对所用的证件照片：请同时目视核对申请人与照片</source>
        <translation>ID photo used for comparison: also compare the applicant with the photo by eye</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="247" />
        <source>请申请人正对摄像头</source>
        <translation>Ask the applicant to face the camera</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="265" />
        <source>开始核验(&amp;S)</source>
        <translation>&amp;Start check</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="268" />
        <source>主管放行(&amp;O)…</source>
        <translation>Supervisor &amp;override…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="272" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="303" />
        <source>比对照片：证件扫描件</source>
        <translation>Comparison photo: ID scan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="316" />
        <source>选择证件照片文件</source>
        <translation>Choose ID photo file</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="316" />
        <source>图像 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff)</source>
        <translation>Images (*.jpg *.jpeg *.png *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="326" />
        <source>无法读取所选文件，请确认文件存在且未被其他程序占用后重新选择</source>
        <translation>Cannot read the selected file. Make sure it exists and is not in use by another program, then choose it again</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="348" />
        <source>正在打开摄像头…</source>
        <translation>Opening the camera…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="408" />
        <source>重新核验(&amp;S)</source>
        <translation>&amp;Start again</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="410" />
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="414" />
        <location filename="../../workstation/ui/face_panel.py" line="413" />
        <source>核验未完成</source>
        <translation>Check not completed</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="416" />
        <source>程序错误，请联系信息科</source>
        <translation>Program error; please contact IT</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="424" />
        <source>核验结束：左为比对所用画面，右为证件照片</source>
        <translation>Check finished: left, the frame compared; right, the ID photo</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="444" />
        <source>比对：</source>
        <translation>Comparison: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="446" />
        <source>一致</source>
        <translation>match</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="446" />
        <source>不一致</source>
        <translation>no match</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="448" />
        <source>活体：</source>
        <translation>Liveness: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="449" />
        <source>通过</source>
        <translation>passed</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="449" />
        <source>未通过</source>
        <translation>failed</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="455" />
        <source>主管放行：</source>
        <translation>Supervisor override: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="455" />
        <source>理由：</source>
        <translation>Reason: </translation>
    </message>
</context><context>
    <name>FeeDialog</name>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="74" />
        <source>收费登记</source>
        <translation>Fee registration</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="80" />
        <source>收费项目</source>
        <translation>Fee items</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="94" />
        <source>POS 小票或收款码上的交易流水号</source>
        <translation>Transaction reference on the POS slip or payment QR code</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="98" />
        <source>开具给申请人的收费票据号码</source>
        <translation>Number of the fee bill issued to the applicant</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="100" />
        <source>支付方式(&amp;M)：</source>
        <translation>Payment &amp;method:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="101" />
        <source>交易流水号(&amp;T)：</source>
        <translation>&amp;Transaction reference:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="102" />
        <source>票据号码(&amp;B)：</source>
        <translation>&amp;Bill number:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="104" />
        <source>免收审批（须科长本人当场输入密码）</source>
        <translation>Fee waiver approval (supervisor enters their own password here)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="108" />
        <source>免收理由：如小微企业、保障性住房，写明依据</source>
        <translation>Waiver reason, e.g. small business or subsidized housing; state the basis</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="116" />
        <source>免收理由：</source>
        <translation>Waiver reason:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="117" />
        <source>审批人用户名：</source>
        <translation>Approver user name:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="118" />
        <source>审批人密码：</source>
        <translation>Approver password:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="124" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="125" />
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="126" />
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="127" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="128" />
        <source>票据号</source>
        <translation>Bill number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="129" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="139" />
        <source>作废所选记录(&amp;V)…</source>
        <translation>&amp;Void selected record…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="152" />
        <source>登记收费</source>
        <translation>Record fee</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="162" />
        <source>本案件的收费记录：</source>
        <translation>Fee records for this case:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="185" />
        <source>受理编号：%1　业务类型：%2　状态：%3</source>
        <translation>Case number: %1   Business type: %2   State: %3</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="207" />
        <source>本业务不收取登记费（按收费规则）。</source>
        <translation>No registration fee is charged for this business (per the fee rules).</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="215" />
        <source>案件目前为“%1”，尚未受理，不能收费；请先提交受理后再登记收费。</source>
        <translation>The case is “%1” and not yet accepted, so no fee can be recorded; submit it for intake first, then record the fee.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="221" />
        <source>本案件按收费规则无应收费用，无需收费登记。</source>
        <translation>Under the fee rules nothing is due for this case; no fee needs to be recorded.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="227" />
        <source>有效</source>
        <translation>Valid</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="227" />
        <source>已作废（%1）</source>
        <translation>Voided (%1)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="259" />
        <source>免收金额：</source>
        <translation>Amount waived: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="259" />
        <source>应收合计：</source>
        <translation>Total due: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="324" />
        <source>请先在收费记录中选择要作废的一笔。</source>
        <translation>First select the fee record to void.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="327" />
        <source>作废收费记录</source>
        <translation>Void fee record</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="327" />
        <source>作废原因：</source>
        <translation>Reason for voiding:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/fee_dialog.py" line="333" />
        <source>已作废收费记录（%1 元）。</source>
        <translation>Fee record voided (%1 yuan).</translation>
    </message>
</context><context>
    <name>IntakeApprovalDialog</name>
    <message>
        <location filename="../../workstation/ui/intake_gate.py" line="38" />
        <source>超过未上报时限</source>
        <translation>Unsent time limit exceeded</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/intake_gate.py" line="44" />
        <source>写明同意继续受理的理由，如“网络中断，已安排 U 盘报送”</source>
        <translation>State why intake may continue, e.g. “Network down; delivery by USB drive arranged”</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/intake_gate.py" line="55" />
        <source>审批意见：</source>
        <translation>Approval comment:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/intake_gate.py" line="56" />
        <source>科长用户名：</source>
        <translation>Supervisor user name:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/intake_gate.py" line="57" />
        <source>科长密码：</source>
        <translation>Supervisor password:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/intake_gate.py" line="65" />
        <source>继续受理新案件须由科长本人当场输入密码确认，并记入审计日志。</source>
        <translation>To continue accepting new cases, the supervisor must enter their own password here; this is recorded in the audit log.</translation>
    </message>
</context><context>
    <name>InterviewPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1077" />
        <source>询问</source>
        <translation>Interview</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1078" />
        <source>逐人询问；被询问人取自已录入的当事人。</source>
        <translation>Question each person; the people are taken from the parties entered.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1119" />
        <source>被询问人：</source>
        <translation>Person questioned: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1129" />
        <source>请先在“当事人”页录入当事人。</source>
        <translation>Enter the parties on the Parties page first.</translation>
    </message>
</context><context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../workstation/ui/login.py" line="143" />
        <source>正在启动…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="145" />
        <source>一窗受理 — 已锁定</source>
        <translation>Yichuang — locked</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="146" />
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="147" />
        <source>长时间无操作，已自动锁定。请输入密码继续，录入内容已保留。</source>
        <translation>Locked after a period without input. Enter your password to continue; your entries are kept.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="148" />
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="150" />
        <source>一窗受理 — 登录</source>
        <translation>Yichuang — sign in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="151" />
        <source>一窗受理 综合受理工作站</source>
        <translation>Yichuang integrated intake workstation</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="153" />
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="154" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="155" />
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="156" />
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="157" />
        <source>语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="158" />
        <source>回车</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="200" />
        <source>请输入用户名。</source>
        <translation>Please enter your user name.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="204" />
        <source>请输入密码。</source>
        <translation>Please enter your password.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="256" />
        <source>登录未完成，请重试。</source>
        <translation>Sign-in did not complete; please try again.</translation>
    </message>
</context><context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="129" />
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="212" />
        <source>新建案件(&amp;N)</source>
        <translation>&amp;New case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="213" />
        <source>保存草稿(&amp;S)</source>
        <translation>&amp;Save draft</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="214" />
        <source>锁定(&amp;L)</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="215" />
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="216" />
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="217" />
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="218" />
        <source>打开案件(&amp;O)</source>
        <translation>&amp;Open case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="219" />
        <source>未完成的草稿(&amp;D)</source>
        <translation>Unfinished &amp;drafts</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="220" />
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="221" />
        <source>打印(&amp;P)…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="222" />
        <source>提交各部门(&amp;T)</source>
        <translation>Submi&amp;t to departments</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="223" />
        <source>发送情况(&amp;I)…</source>
        <translation>Delivery stat&amp;us…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="224" />
        <source>科长工作台(&amp;W)…</source>
        <translation>Supervisor &amp;workbench…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="225" />
        <source>收费登记(&amp;G)…</source>
        <translation>Fee re&amp;gistration…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="226" />
        <source>查看案件（只读）(&amp;V)…</source>
        <translation>&amp;View case (read-only)…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="227" />
        <source>设置(&amp;O)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="236" />
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="237" />
        <source>案件(&amp;C)</source>
        <translation>&amp;Case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="238" />
        <source>查看(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="239" />
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="240" />
        <source>工具(&amp;T)</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="241" />
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="242" />
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="244" />
        <source>受理编号、不动产单元号、姓名（完整）、证件号码或电话，回车查找</source>
        <translation>Case number, unit number, full name, ID number or phone; Enter to search</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="248" />
        <source>一窗受理</source>
        <translation>Yichuang</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="250" />
        <source>用户：</source>
        <translation>User: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="250" />
        <source>未登录</source>
        <translation>not signed in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="253" />
        <source>机构：</source>
        <translation>Office: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="253" />
        <source>窗口：</source>
        <translation>Window: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="329" />
        <source>不能修改</source>
        <translation>Cannot edit</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="330" />
        <source>案件 %1 的状态是“%2”，已不能在受理环节修改。</source>
        <translation>Case %1 is “%2” and can no longer be edited at intake.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="380" />
        <source>草稿已保存</source>
        <translation>Draft saved</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="394" />
        <source>请先在案件列表中选择要提交的案件</source>
        <translation>First select the case to submit in the case list</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="404" />
        <source>案件 %1 已提交，已排队发送给各部门；断网时会在联网后自动发送。</source>
        <translation>Case %1 is submitted and queued for the departments; if offline, it is sent automatically once the network is back.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="420" />
        <source>请先在案件列表中选择案件</source>
        <translation>First select a case in the case list</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="435" />
        <source>尚未提交：案件就绪后按 Ctrl+Enter 提交。</source>
        <translation>Not submitted yet: press Ctrl+Enter to submit once the case is ready.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="437" />
        <source>与受理时一致</source>
        <translation>same as at intake</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="438" />
        <source>发送前复核房屋状态</source>
        <translation>Property status rechecked before sending</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="441" />
        <location filename="../../workstation/ui/main_window.py" line="439" />
        <source>发送情况</source>
        <translation>Delivery status</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="453" />
        <source>请先在案件列表中选择要打印的案件</source>
        <translation>First select the case to print in the case list</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="485" />
        <source>打印文书</source>
        <translation>Print documents</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="486" />
        <source>案件已保存。现在打印全套文书（申请书、询问笔录、受理回执、材料清单等）吗？</source>
        <translation>The case is saved. Print the full document set now (application form, interview record, acceptance receipt, materials list, etc.)?</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="487" />
        <source>打印(&amp;P)</source>
        <translation>&amp;Print</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="488" />
        <source>稍后(&amp;L)</source>
        <translation>&amp;Later</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="510" />
        <source>（未编号）</source>
        <translation>(no number)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="518" />
        <location filename="../../workstation/ui/main_window.py" line="515" />
        <source>继续录入</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="516" />
        <source>发现未完成的草稿，选择一个继续录入（取消则稍后在“案件”菜单中继续）：</source>
        <translation>Unfinished drafts were found. Choose one to continue (or later from the Case menu):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="519" />
        <source>稍后</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="586" />
        <source>请先在案件列表中选择要查看的案件</source>
        <translation>First select the case to view in the case list</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="597" />
        <source>请先在案件列表中选择要收费的案件</source>
        <translation>First select the case to charge in the case list</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="605" />
        <source>案件 %1 的收费已登记。</source>
        <translation>Fee recorded for case %1.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="629" />
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="629" />
        <source>一窗受理 综合受理工作站</source>
        <translation>Yichuang integrated intake workstation</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="673" />
        <source>已读取证件，但没有打开的“当事人”页：请新建或打开案件，进入该页后重新放卡</source>
        <translation>ID card read, but no Parties page is open: create or open a case, go to that page, then place the card again</translation>
    </message>
</context><context>
    <name>MaterialsPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="974" />
        <source>申请材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="976" />
        <source>空格键勾选；共享获取的材料无需申请人提交。F8 扫描，选中页面后按数字键放到对应材料。</source>
        <translation>Space ticks an item; materials obtained by data sharing need not be submitted by the applicant. F8 scans; select pages and press a number key to assign them to a material.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1040" />
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1040" />
        <source>必交</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1040" />
        <source>已收取</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1040" />
        <source>原件</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1040" />
        <source>份数</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1040" />
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1049" />
        <source>（共享获取）</source>
        <translation> (data sharing)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1051" />
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1051" />
        <source>否</source>
        <translation>No</translation>
    </message>
</context><context>
    <name>MortgagePage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="936" />
        <source>抵押</source>
        <translation>Mortgage</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="937" />
        <source>金额以元为单位，日期格式 2024-05-01。</source>
        <translation>Amounts in yuan, dates as 2024-05-01.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="949" />
        <source>抵押方式</source>
        <translation>Mortgage kind</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="950" />
        <source>被担保主债权数额(元)</source>
        <translation>Secured amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="951" />
        <source>债务履行期限起</source>
        <translation>Debt term from</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="952" />
        <source>债务履行期限止</source>
        <translation>Debt term to</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="953" />
        <source>借款合同编号</source>
        <translation>Loan contract number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="954" />
        <source>抵押合同编号</source>
        <translation>Mortgage contract number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="955" />
        <source>注销原因</source>
        <translation>Release reason</translation>
    </message>
</context><context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="94" />
        <source>主管放行</source>
        <translation>Supervisor override</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="102" />
        <source>例如：已核对户口簿等其他有效证件，确认为本人</source>
        <translation>e.g. checked the household register or other valid ID and confirmed the person</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="110" />
        <source>人证核验未通过。只有主管或系统管理员可以放行：请主管本人输入账号和密码，并填写放行理由。</source>
        <translation>The identity check failed. Only a supervisor or system administrator can override: the supervisor enters their own account and password and gives the reason.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="116" />
        <source>主管账号</source>
        <translation>Supervisor account</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="117" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="118" />
        <source>放行理由</source>
        <translation>Override reason</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="124" />
        <source>放行(&amp;A)</source>
        <translation>&amp;Allow</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/face_panel.py" line="149" />
        <source>正在验证主管密码…</source>
        <translation>Verifying the supervisor password…</translation>
    </message>
</context><context>
    <name>PartiesPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="455" />
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="457" />
        <source>按角色添加当事人（Ctrl+1… 添加，Ctrl+Delete 删除）。每人只录入一次，代理人、监护人从已录入的当事人中选择。</source>
        <translation>Add parties by role (Ctrl+1… to add, Ctrl+Delete to remove). Each person is entered once; agents and guardians pick the parties they act for.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="468" />
        <source>还没有当事人：请按上方按钮添加。</source>
        <translation>No parties yet: add one with the buttons above.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="474" />
        <source>删除当事人</source>
        <translation>Remove party</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="476" />
        <source>删除选中的当事人 (Ctrl+Delete)</source>
        <translation>Remove the selected party (Ctrl+Delete)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="522" />
        <source>添加</source>
        <translation>Add </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="530" />
        <source>快捷键</source>
        <translation>Shortcut</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="675" />
        <source>读取证件</source>
        <translation>Read ID</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="676" />
        <source>已读取证件，但还没有当事人。把证件持有人添加为：</source>
        <translation>ID read, but there are no parties yet. Add the holder as:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="688" />
        <source>不添加</source>
        <translation>Do not add</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="705" />
        <source>证件信息与已录入的不同</source>
        <translation>ID data differs from entries</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="706" />
        <source>证件上的以下信息与已录入的内容不同，是否用证件上的信息覆盖？</source>
        <translation>The following ID data differs from what was entered. Replace it with the data from the ID?</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="710" />
        <source>已录入</source>
        <translation>Entered</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="712" />
        <source>证件上为</source>
        <translation>On the ID</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="717" />
        <source>未录入的项目都会从证件填写。</source>
        <translation>Items not yet entered will be filled in from the ID.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="718" />
        <source>若证件不是该当事人的，请选“保留已录入内容”，再选中正确的当事人后重新放卡。</source>
        <translation>If the ID is not this party's, choose “Keep entered data”, select the correct party and place the card again.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="720" />
        <source>用证件信息覆盖(&amp;R)</source>
        <translation>&amp;Replace with ID data</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="721" />
        <source>保留已录入内容(&amp;K)</source>
        <translation>&amp;Keep entered data</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="761" />
        <source>读取护照</source>
        <translation>Read passport</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="763" />
        <source>护照已放在读卡器上。请输入资料页下方的机读码（两行，或“护照号 出生日期 有效期至”）：</source>
        <translation>A passport is on the reader. Enter the machine-readable zone below the data page (two lines, or “passport number, date of birth, expiry date”):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="803" />
        <source>人证核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="804" />
        <source>本窗口没有可用的人证核验设备（摄像头）。请从主窗口新建或打开案件后再核验。</source>
        <translation>No identity check device (camera) is available in this window. Create or open a case from the main window, then run the check.</translation>
    </message>
</context><context>
    <name>PartyEditor</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="271" />
        <source>主体类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="273" />
        <source>证件种类</source>
        <translation>ID type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="275" />
        <source>18 位身份证号，末位可为 X</source>
        <translation>18 characters; the last may be X</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="276" />
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="278" />
        <source>姓名/名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="281" />
        <source>按证件填写；居民身份证号码可识别时自动填入</source>
        <translation>As on the ID document; filled in from a resident ID number that can be read</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="284" />
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="286" />
        <source>如 1990-05-12；居民身份证号码可识别时自动填入</source>
        <translation>e.g. 1990-05-12; filled in from a resident ID number that can be read</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="288" />
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="293" />
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="295" />
        <source>通讯地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="298" />
        <source>法定代表人/负责人</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="302" />
        <source>代理机构名称</source>
        <translation>Agency</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="306" />
        <source>空格键勾选被代理/被监护的当事人（从已录入的当事人中选择）</source>
        <translation>Space ticks the parties represented (chosen from the parties entered)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="308" />
        <source>代理/监护的当事人</source>
        <translation>Acts for</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="313" />
        <source>共有方式</source>
        <translation>Co-ownership</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="315" />
        <source>按份共有时填写，如 50</source>
        <translation>For shares, e.g. 50</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="316" />
        <source>共有份额(%)</source>
        <translation>Share (%)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="318" />
        <source>婚姻状况</source>
        <translation>Marital status</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="320" />
        <source>从已录入的当事人中选择配偶（已婚时填写）</source>
        <translation>Pick the spouse from the parties entered (when married)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="324" />
        <source>配偶</source>
        <translation>Spouse</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="327" />
        <source>家庭（本人、配偶、未成年子女）已有住房套数</source>
        <translation>Homes the family (self, spouse, minor children) already owns</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="328" />
        <source>家庭住房套数</source>
        <translation>Family homes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="331" />
        <source>与对方当事人关系</source>
        <translation>Relation to the other side</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="333" />
        <source>本人到场</source>
        <translation>Present in person</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="336" />
        <source>人证核验(&amp;V)…</source>
        <translation>Identity &amp;verification…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="339" />
        <source>核对到场申请人与证件照片是否为同一人</source>
        <translation>Check that the applicant present is the person in the ID photo</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="406" />
        <source>（已删除的当事人）</source>
        <translation>(deleted party)</translation>
    </message>
</context><context>
    <name>PrintDialog</name>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="245" />
        <location filename="../../workstation/ui/print_dialog.py" line="108" />
        <source>打印文书</source>
        <translation>Print documents</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="110" />
        <source>正在准备文书…</source>
        <translation>Preparing documents…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="117" />
        <source>正在查找打印机…</source>
        <translation>Looking for printers…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="128" />
        <source> 份</source>
        <translation> copies</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="134" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="194" />
        <location filename="../../workstation/ui/print_dialog.py" line="135" />
        <source>文书</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="136" />
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="137" />
        <source>份数</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="138" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="139" />
        <source>操作人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="153" />
        <source>重印所选(&amp;R)</source>
        <translation>&amp;Reprint selected</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="176" />
        <source>打印(&amp;P)</source>
        <translation>&amp;Print</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="181" />
        <source>另存为 PDF(&amp;S)…</source>
        <translation>&amp;Save as PDF…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="189" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="198" />
        <source>打印机(&amp;I)：</source>
        <translation>Pr&amp;inter:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="200" />
        <source>份数(&amp;N)：</source>
        <translation>&amp;Number of copies:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="202" />
        <source>打印记录</source>
        <translation>Print log</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="247" />
        <source>受理编号：</source>
        <translation>Case number: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="249" />
        <source>业务类型：</source>
        <translation>Business type: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="251" />
        <source>状态：</source>
        <translation>State: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="266" />
        <source>暂不能出具：</source>
        <translation>Not available yet: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="273" />
        <source>无法准备文书。</source>
        <translation>Cannot prepare the documents.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="286" />
        <source>没有可用的打印机</source>
        <translation>No printer available</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="287" />
        <source>本机没有可用的打印机。请管理员添加打印机后重试，或先“另存为 PDF”。</source>
        <translation>No printer is available on this computer. Ask an administrator to add one and try again, or use “Save as PDF” for now.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="292" />
        <source>无法列出打印机</source>
        <translation>Cannot list printers</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="315" />
        <source>（文件）</source>
        <translation>(file)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="365" />
        <source>请至少选择一种文书。</source>
        <translation>Select at least one document.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="368" />
        <source>正在生成预览…</source>
        <translation>Generating preview…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="383" />
        <source>共 %1 页：</source>
        <translation>%1 page(s): </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="418" />
        <source>正在发送到打印机…</source>
        <translation>Sending to the printer…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="441" />
        <source>正在重印…</source>
        <translation>Reprinting…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="461" />
        <source>已把%1（%2 份）发送到打印机“%3”。</source>
        <translation>Sent %1 (%2 copies) to printer “%3”.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="485" />
        <source>另存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="493" />
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="497" />
        <source>已保存到 </source>
        <translation>Saved to </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="506" />
        <source>无法保存到 %1（%2）。请换一个文件夹或文件名后重试。</source>
        <translation>Cannot save to %1 (%2). Choose another folder or file name and try again.</translation>
    </message>
</context><context>
    <name>PropertyPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="844" />
        <source>不动产</source>
        <translation>Property</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="845" />
        <source>按不动产权证书填写。</source>
        <translation>As on the title certificate.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="852" />
        <source>28 位，如 110105001001GB00001F00010001</source>
        <translation>28 characters, e.g. 110105001001GB00001F00010001</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="855" />
        <source>查询房屋状态(F6)</source>
        <translation>Check property status (F6)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="856" />
        <source>不动产单元号</source>
        <translation>Unit number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="858" />
        <source>不动产权证书号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="859" />
        <source>坐落</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="861" />
        <source>平方米，如 89.5</source>
        <translation>Square metres, e.g. 89.5</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="862" />
        <source>面积(㎡)</source>
        <translation>Area (m²)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="863" />
        <source>用途</source>
        <translation>Use</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="865" />
        <source>不动产类型</source>
        <translation>Property type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="869" />
        <source>房屋性质</source>
        <translation>Housing class</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="873" />
        <source>市区</source>
        <translation>Urban</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="873" />
        <source>县城、镇</source>
        <translation>County town</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="873" />
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="875" />
        <source>所在地类别</source>
        <translation>District class</translation>
    </message>
</context><context>
    <name>QueueModel</name>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="83" />
        <source>受理编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="84" />
        <source>业务类型</source>
        <translation>Business type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="85" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="86" />
        <source>申请人</source>
        <translation>Applicants</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="87" />
        <source>受理人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="88" />
        <source>受理时间</source>
        <translation>Accepted at</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="89" />
        <source>承诺办结日</source>
        <translation>Promised completion</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="90" />
        <source>部门数据包</source>
        <translation>Department packages</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="91" />
        <source>失败原因</source>
        <translation>Failure reason</translation>
    </message>
</context><context>
    <name>ReportTabs</name>
    <message>
        <location filename="../../workstation/ui/report_tabs.py" line="29" />
        <source>队列(&amp;1)</source>
        <translation>&amp;1 Queue</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/report_tabs.py" line="33" />
        <source>日终报表(&amp;2)</source>
        <translation>&amp;2 End-of-day report</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/report_tabs.py" line="34" />
        <source>统计(&amp;3)</source>
        <translation>&amp;3 Statistics</translation>
    </message>
</context><context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1155" />
        <source>核对</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1157" />
        <source>填写登记事项，核对每一项及其去向；双击或回车问题可跳转到对应字段。完成后案件进入“待提交”。</source>
        <translation>Fill in the registration items and check each fact and where it goes; double-click or press Enter on an issue to jump to its field. Finishing marks the case ready for submission.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1185" />
        <source>如 买卖、继承、抵押贷款；按合同或法律文书填写</source>
        <translation>e.g. sale, inheritance, mortgage loan; as in the contract or legal document</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1186" />
        <source>登记原因</source>
        <translation>Reason for registration</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1188" />
        <source>申请证书版式</source>
        <translation>Certificate format</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1191" />
        <source>申请分别持证</source>
        <translation>Separate certificate for each co-owner</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1194" />
        <source>第二本起每本另收工本费</source>
        <translation>Each certificate from the second on is charged separately</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1196" />
        <source>加发证书本数</source>
        <translation>Extra certificates</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1198" />
        <source>需要说明的其他事项（如生僻字、证件特殊情况）</source>
        <translation>Anything else to note (rare characters, unusual documents)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1199" />
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1209" />
        <source>登记事项</source>
        <translation>Registration items</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1209" />
        <source>打印到</source>
        <translation>printed on</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1209" />
        <source>报送</source>
        <translation>sent to</translation>
    </message>
    <message numerus="yes">
        <location filename="../../workstation/ui/wizard/pages.py" line="1232" />
        <source>还有 %n 处错误需要更正：</source>
        <translation>
            <numerusform>%n error still to correct:</numerusform>
            <numerusform>%n errors still to correct:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="1232" />
        <source>没有错误，可以完成。</source>
        <translation>No errors: the case can be finished.</translation>
    </message>
</context><context>
    <name>ScanPanel</name>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="375" />
        <source>扫描仪；也可从文件导入或从高拍仪文件夹接收</source>
        <translation>Scanner; you can also import from a file or receive from the document camera folder</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="376" />
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="377" />
        <source>重新查找扫描仪</source>
        <translation>Look for scanners again</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="381" />
        <source>扫描的页面放到哪项材料；扫描方案随材料自动选择</source>
        <translation>Material that scanned pages go to; the scan profile follows the material</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="386" />
        <source>（已锁定）</source>
        <translation> (locked)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="387" />
        <source>扫描 (F8)</source>
        <translation>Scan (F8)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="390" />
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="404" />
        <source>扫描仪</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="407" />
        <source>放到</source>
        <translation>Put in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="409" />
        <source>方案</source>
        <translation>Profile</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="425" />
        <source>选中缩略图后按数字键，或把缩略图拖到材料上</source>
        <translation>Select thumbnails and press a number key, or drag them onto a material</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="432" />
        <source>旋转 (R)</source>
        <translation>Rotate (R)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="434" />
        <source>删除 (Del)</source>
        <translation>Delete (Del)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="436" />
        <source>重扫此页 (Ctrl+F8)</source>
        <translation>Rescan page (Ctrl+F8)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="438" />
        <source>完成扫描</source>
        <translation>Finish scanning</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="439" />
        <source>页面均已存入材料后，清除本机暂存的扫描页</source>
        <translation>Once all pages are stored in materials, clear the scanned pages held on this computer</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="454" />
        <source>填入</source>
        <translation>Fill in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="456" />
        <source>忽略</source>
        <translation>Ignore</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="525" />
        <source>正在查找扫描仪…</source>
        <translation>Looking for scanners…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="556" />
        <source>本窗口扫描仪</source>
        <translation>This window's scanner</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="561" />
        <source>高拍仪（接收新拍的照片）</source>
        <translation>Document camera (receives new shots)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="562" />
        <source>从文件导入…</source>
        <translation>Import from file…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="567" />
        <source>未找到扫描仪：请接好扫描仪后点“刷新”，或选择“从文件导入…”。</source>
        <translation>No scanner found: connect the scanner and click “Refresh”, or choose “Import from file…”.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="580" />
        <source>（暂不分配）</source>
        <translation>(assign later)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="610" />
        <source>已恢复上次扫描的 {n} 页；再次扫描将从第 {next} 页接着扫。</source>
        <translation>Restored {n} page(s) from the last scan; scanning again continues at page {next}.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="652" />
        <source>正在查找扫描仪，找到后将自动开始扫描…</source>
        <translation>Looking for scanners; scanning starts automatically once one is found…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="658" />
        <source>选择要导入的文件</source>
        <translation>Choose files to import</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="660" />
        <source>文档和图片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</source>
        <translation>Documents and images (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="698" />
        <source>正在接收高拍仪新拍的页面；拍完后按 Esc 或点“取消”结束。</source>
        <translation>Receiving new pages from the document camera; when done, press Esc or click “Cancel”.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="700" />
        <source>正在扫描…</source>
        <translation>Scanning…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="725" />
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="728" />
        <source>第 {n} 页</source>
        <translation>Page {n}</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="737" />
        <source>第 {n} 页是空白页，已去除。</source>
        <translation>Page {n} is blank and was removed.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="750" />
        <source>已扫描 {n} 页</source>
        <translation>{n} page(s) scanned</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="752" />
        <source>，去除空白页 {n} 页</source>
        <translation>, {n} blank page(s) removed</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="754" />
        <source>；已取消，取消前的页面已保留</source>
        <translation>; cancelled, pages scanned before cancelling are kept</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="764" />
        <source>扫描中断；已扫描的页面已保留，可接着扫描。</source>
        <translation>Scanning interrupted; pages already scanned are kept and you can continue scanning.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="859" />
        <source>正在保存扫描件…</source>
        <translation>Saving scans…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="876" />
        <source>还有 {n} 页没有放到材料上：请先分配或删除这些页面，再点“完成扫描”。</source>
        <translation>{n} page(s) not yet assigned to a material: assign or delete them, then click “Finish scanning”.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="886" />
        <source>扫描页已存入材料，本机暂存已清除。</source>
        <translation>Scanned pages stored in materials; temporary copies on this computer cleared.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="898" />
        <source>在扫描页上识别到二维码/条码：“{title}”可能是 {value}。要填入案件吗？</source>
        <translation>A QR code/barcode was found on a scanned page: “{title}” may be {value}. Fill it into the case?</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="922" />
        <source>未分配</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/scan_panel.py" line="955" />
        <source>（{n} 页）</source>
        <translation> ({n} p.)</translation>
    </message>
</context><context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="182" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="185" />
        <source>正在读取设置…</source>
        <translation>Loading settings…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="196" />
        <source>Tab 切换项目，Ctrl+Tab 切换分组，Ctrl+R 恢复当前项的默认值；Enter 保存，Esc 取消。</source>
        <translation>Tab moves between items, Ctrl+Tab between groups, Ctrl+R restores the current item's default; Enter saves, Esc cancels.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="206" />
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="210" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="233" />
        <source>无法读取设置。</source>
        <translation>Cannot load the settings.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="240" />
        <source>未登录</source>
        <translation>not signed in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="243" />
        <source>您可以修改机构设置、本窗口设置和自己的个人设置。</source>
        <translation>You can change the office settings, this window's settings and your own personal settings.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="245" />
        <source>机构设置和本窗口设置只有系统管理员可以修改；您可以修改自己的个人设置（如界面语言、打印份数）。</source>
        <translation>Only a system administrator can change the office and window settings; you can change your own personal settings (such as interface language and print copies).</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="249" />
        <source>当前用户：</source>
        <translation>Current user: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="292" />
        <source>恢复默认</source>
        <translation>Restore default</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="297" />
        <source>删除此项在%1中的值，改用下一层的值或默认值（Ctrl+R）</source>
        <translation>Remove this item's value in %1 and use the next layer's value or the default (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="314" />
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="341" />
        <source>开启</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="371" />
        <source>（未设置）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="396" />
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="397" />
        <source>保存后恢复为：</source>
        <translation>After saving, reverts to: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="399" />
        <source>锁定：</source>
        <translation>Locked: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/settings_dialog.py" line="505" />
        <source>有 %1 项设置需要更正，请按红字提示修改后再保存。</source>
        <translation>%1 setting(s) need correcting; fix them as the red notes say, then save.</translation>
    </message>
</context><context>
    <name>SignDialog</name>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="55" />
        <source>签字确认日终报表</source>
        <translation>Sign off end-of-day report</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="65" />
        <source>审核人用户名：</source>
        <translation>Reviewer user name:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="66" />
        <source>审核人密码：</source>
        <translation>Reviewer password:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/day_report_tab.py" line="75" />
        <source>%1 %2：签字后报表存档，不能重复签字。请本人输入密码确认。</source>
        <translation>%1 %2: once signed, the report is archived and cannot be signed again. Enter your own password to confirm.</translation>
    </message>
</context><context>
    <name>StatisticsTab</name>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="103" />
        <source>统计(&amp;T)</source>
        <translation>Calcula&amp;te</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="106" />
        <source>导出 CSV(&amp;C)…</source>
        <translation>Export &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="109" />
        <source>导出 Excel(&amp;X)…</source>
        <translation>Export E&amp;xcel…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="116" />
        <source>从：</source>
        <translation>From:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="118" />
        <source>到：</source>
        <translation>To:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="156" />
        <source>正在统计…</source>
        <translation>Calculating…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="177" />
        <source>%1 至 %2：受理 %3 件；窗口办理时长中位数 %4 分钟，90%分位 %5 分钟（%6 件有首次录入时间）。</source>
        <translation>%1 to %2: %3 case(s) accepted; window handling time median %4 min, 90th percentile %5 min (%6 case(s) with a first-entry time).</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="189" />
        <source>每日受理量（按受理人）</source>
        <translation>Daily intake (by clerk)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="193" />
        <source>每日受理量（按业务类型）</source>
        <translation>Daily intake (by business type)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="228" />
        <source>件</source>
        <translation>cases</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="232" />
        <source>窗口办理时长（首次录入至提交，分钟）</source>
        <translation>Window handling time (first entry to submission, minutes)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="237" />
        <source>中位数</source>
        <translation>Median</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="237" />
        <source>90%分位</source>
        <translation>90th percentile</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="244" />
        <source>分钟</source>
        <translation>minutes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="248" />
        <source>各部门送达与答复时长（小时）</source>
        <translation>Delivery and answer times by department (hours)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="253" />
        <source>送达中位数</source>
        <translation>Delivery median</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="254" />
        <source>送达90%分位</source>
        <translation>Delivery 90th percentile</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="255" />
        <source>答复中位数</source>
        <translation>Answer median</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="264" />
        <source>小时</source>
        <translation>hours</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="268" />
        <source>积压趋势（日终未送达的数据包）</source>
        <translation>Backlog trend (packages undelivered at end of day)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="270" />
        <source>未送达</source>
        <translation>Undelivered</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="274" />
        <source>个</source>
        <translation>packages</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="285" />
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="285" />
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="286" />
        <source>导出统计</source>
        <translation>Export statistics</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/statistics_tab.py" line="294" />
        <source>已导出：</source>
        <translation>Exported: </translation>
    </message>
</context><context>
    <name>StatusLookup</name>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="228" />
        <source>请先输入不动产单元号，再按 F6 查询。</source>
        <translation>Enter the real-estate unit number first, then press F6 to look it up.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/lookups.py" line="252" />
        <source>房屋状态</source>
        <translation>Property status</translation>
    </message>
</context><context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="324" />
        <source>科长工作台</source>
        <translation>Supervisor workbench</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="346" />
        <source>全部受理人</source>
        <translation>All clerks</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="349" />
        <source>全部业务</source>
        <translation>All business types</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="355" />
        <source>不限</source>
        <translation>Any</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="356" />
        <source> 天以上</source>
        <translation> days or more</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="357" />
        <source>承诺办结日不晚于</source>
        <translation>Promised completion by</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="361" />
        <source>筛选</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="365" />
        <source>受理人：</source>
        <translation>Clerk:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="366" />
        <source>业务类型：</source>
        <translation>Business type:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="367" />
        <source>受理时长：</source>
        <translation>Time since intake:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="398" />
        <source>重新发送(&amp;R)</source>
        <translation>&amp;Resend</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="399" />
        <source>挂起(&amp;H)</source>
        <translation>Put on &amp;hold</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="400" />
        <source>恢复(&amp;E)</source>
        <translation>R&amp;esume</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="401" />
        <source>改派(&amp;A)…</source>
        <translation>Re&amp;assign…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="402" />
        <source>退回补正(&amp;B)…</source>
        <translation>Return for &amp;correction…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="403" />
        <source>审批例外(&amp;P)…</source>
        <translation>A&amp;pprove exception…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="404" />
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message numerus="yes">
        <location filename="../../workstation/ui/supervisor.py" line="506" />
        <source>已处理 %n 项</source>
        <translation>
            <numerusform>%n item processed</numerusform>
            <numerusform>%n items processed</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="613" />
        <location filename="../../workstation/ui/supervisor.py" line="517" />
        <source>请先在列表中选择案件</source>
        <translation>First select a case in the list</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="535" />
        <source>挂起</source>
        <translation>Put on hold</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="535" />
        <source>挂起原因：</source>
        <translation>Reason for hold:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="563" />
        <source>改派</source>
        <translation>Reassign</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="563" />
        <source>改派给：</source>
        <translation>Reassign to:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="583" />
        <source>退回补正</source>
        <translation>Return for correction</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/supervisor.py" line="583" />
        <source>退回原因（申请人需补正的内容）：</source>
        <translation>Reason for return (what the applicant must correct):</translation>
    </message>
</context><context>
    <name>TaxPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="237" />
        <source>税费</source>
        <translation>Taxes and fees</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="239" />
        <source>按计税日期有效的规则估算各方应缴税费；选中一行查看计算说明，点击尚缺事实跳到该字段。</source>
        <translation>Estimates what each side pays under the rules in force on the tax date; select a line to see how it was computed, click a missing fact to go to its field.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="251" />
        <source>如 2026-03-01</source>
        <translation>e.g. 2026-03-01</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="253" />
        <source>申报（计税）日期，默认今天；按该日有效的税费规则计算</source>
        <translation>Declaration (tax) date, today by default; the rules in force on that day apply</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="255" />
        <source>默认今天，可改为申报日期；按该日有效的规则计算。</source>
        <translation>Today by default; change it to the declaration date. The rules in force on that day apply.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="257" />
        <source>预估</source>
        <translation>Estimate</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="260" />
        <source>本页金额为估算，以税务机关核定为准</source>
        <translation>The amounts on this page are estimates; the tax bureau's assessment binds</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="262" />
        <source>计税日期</source>
        <translation>Tax date</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="278" />
        <source>税费</source>
        <comment>column</comment>
        <translation>Tax / fee</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="279" />
        <source>缴纳方</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="280" />
        <source>计税依据(元)</source>
        <translation>Base (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="281" />
        <source>税率</source>
        <translation>Rate</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="282" />
        <source>金额(元)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="283" />
        <source>依据</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="301" />
        <source>税费明细：Tab 或 %1 进入，↑↓ 选择一行查看计算说明，回车下一页</source>
        <translation>Line items: Tab or %1 to enter, ↑↓ to select a line and see its explanation, Enter for the next page</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="321" />
        <source>单击或回车跳转到该字段；补齐后估算方为确定</source>
        <translation>Click or press Enter to go to the field; the estimate is final once these are filled in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="325" />
        <source>备选计算（不计入合计）：</source>
        <translation>Alternatives (not in the totals):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="341" />
        <source>以上为预估，仅供参考；应缴税费以税务机关核定为准。</source>
        <translation>Estimate for information only; the tax bureau's assessment decides what is due.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="355" />
        <source>计算说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="455" />
        <source>请先在第一页选择业务类型。</source>
        <translation>Choose the business type on the first page first.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="463" />
        <source>正在载入税费规则…</source>
        <translation>Loading the tax rules…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="470" />
        <source>尚不能识别，暂不估算（单击跳转改正）：</source>
        <translation>Not readable yet, no estimate (click to go and correct):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="482" />
        <source>暂不能估算（单击跳转改正）：</source>
        <translation>Cannot estimate (click to go and correct):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="492" />
        <source>合计：—（补齐或改正下列内容后显示）</source>
        <translation>Totals: — (shown once the items below are filled in or corrected)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="499" />
        <source>金额暂不显示：请先改正左侧所列内容，改正后自动重新估算。</source>
        <translation>No amounts yet: correct the items listed on the left; the estimate then updates by itself.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="538" />
        <source>尚缺事实（单击跳转到该字段）：</source>
        <translation>Missing facts (click to go to the field):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="543" />
        <source>估算所需事实已齐全。</source>
        <translation>All facts the estimate needs are present.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="598" />
        <source>%1 合计 %2 元</source>
        <translation>%1 total %2 yuan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="599" />
        <source>总计 %1 元</source>
        <translation>Grand total %1 yuan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="619" />
        <source>规则：</source>
        <translation>Rule: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="620" />
        <source>依据：</source>
        <translation>Source: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="624" />
        <source>金额 %1 元</source>
        <translation>amount %1 yuan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="633" />
        <source>取决于：%1（改动这些事实，估算随之更新）</source>
        <translation>Depends on: %1 (changing these facts updates the estimate)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="639" />
        <source>（备选，不计入合计）</source>
        <translation> (alternative, not in the totals)</translation>
    </message>
</context><context>
    <name>TransactionPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="887" />
        <source>交易</source>
        <translation>Transaction</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="888" />
        <source>金额以元为单位，日期格式 2024-05-01。</source>
        <translation>Amounts in yuan, dates as 2024-05-01.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="897" />
        <source>输入后按 F6 从交易系统调取合同</source>
        <translation>After entering, press F6 to fetch the contract from the housing transaction system</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="898" />
        <source>调取合同(F6)</source>
        <translation>Fetch contract (F6)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="899" />
        <source>合同网签备案编号</source>
        <translation>Contract filing number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="901" />
        <source>成交价格(元)</source>
        <translation>Price (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="903" />
        <source>付款方式</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="907" />
        <source>原有抵押</source>
        <translation>Existing mortgage</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="912" />
        <source>评估价格(元)</source>
        <translation>Assessed value (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="914" />
        <source>卖方取得情况</source>
        <translation>How the seller acquired it</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="915" />
        <source>取得日期</source>
        <translation>Acquired on</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="916" />
        <source>原值(元)</source>
        <translation>Original value (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="920" />
        <source>原值凭证齐全</source>
        <translation>Original value documented</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="925" />
        <source>购入时已缴契税(元)</source>
        <translation>Deed tax paid on purchase (yuan)</translation>
    </message>
</context><context>
    <name>TypePage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="194" />
        <source>业务类型</source>
        <translation>Business type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="195" />
        <source>选择本次申请的登记业务（方向键选择，回车下一步）。</source>
        <translation>Choose the registration business (arrow keys to choose, Enter to continue).</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="222" />
        <source>案件已创建，业务类型不能再更改；如选错，请作废本案件后重新受理。</source>
        <translation>The case exists; its business type can no longer change. If it is wrong, cancel this case and start again.</translation>
    </message>
</context></TS>
